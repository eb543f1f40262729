//! `QuantityError`: why and where a string is not a quantity.

use std::fmt;

/// Which of Kubernetes' three parse errors a [`QuantityError`] is.
///
/// The variants are apimachinery's `ErrFormatWrong`, `ErrNumeric` and
/// `ErrSuffix`; [`QuantityError`]'s `Display` uses their exact message text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QuantityErrorKind {
    /// `ErrFormatWrong`: the text does not have the shape of a quantity (empty
    /// input, white space, a stray character, a second `.`).
    Format,
    /// `ErrNumeric`: the number has no digits where Kubernetes needs some
    /// (e.g. `"e-10"`, a bare exponent finer than nano).
    Numeric,
    /// `ErrSuffix`: the suffix is not one Kubernetes knows (`"1K"`, `"1ki"`,
    /// `"1e"`, an exponent outside the i64 range).
    Suffix,
}

impl QuantityErrorKind {
    /// Kubernetes' message for this error, word for word.
    pub const fn message(self) -> &'static str {
        match self {
            QuantityErrorKind::Format => {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            }
            QuantityErrorKind::Numeric => "unable to parse numeric part of quantity",
            QuantityErrorKind::Suffix => "unable to parse quantity's suffix",
        }
    }
}

/// A string that is not a Kubernetes quantity: what is wrong ([`kind`]) and the
/// byte offset where the input went wrong ([`offset`]).
///
/// ```
/// use kubelogic::{Quantity, QuantityErrorKind};
///
/// let err = Quantity::parse("12Kb").unwrap_err();
/// assert_eq!(err.kind(), QuantityErrorKind::Format);
/// assert_eq!(err.offset(), 3); // the 'b'
/// assert_eq!(
///     err.to_string(),
///     "quantities must match the regular expression \
///      '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (at byte 3)"
/// );
///
/// let err = Quantity::parse("1K").unwrap_err();
/// assert_eq!((err.kind(), err.offset()), (QuantityErrorKind::Suffix, 1));
/// ```
///
/// [`kind`]: QuantityError::kind
/// [`offset`]: QuantityError::offset
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QuantityError {
    kind: QuantityErrorKind,
    offset: usize,
}

impl QuantityError {
    pub(crate) const fn new(kind: QuantityErrorKind, offset: usize) -> Self {
        QuantityError { kind, offset }
    }

    /// Which of Kubernetes' errors this is.
    pub const fn kind(&self) -> QuantityErrorKind {
        self.kind
    }

    /// The byte offset in the input where it went wrong: the offending
    /// character for [`QuantityErrorKind::Format`], the start of the suffix for
    /// [`QuantityErrorKind::Suffix`], the end of the (digit-less) number for
    /// [`QuantityErrorKind::Numeric`]; 0 for an empty input.
    pub const fn offset(&self) -> usize {
        self.offset
    }

    pub(crate) const fn shifted(self, by: usize) -> Self {
        QuantityError {
            kind: self.kind,
            offset: self.offset.saturating_add(by),
        }
    }
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.kind.message(), self.offset)
    }
}

impl std::error::Error for QuantityError {}
