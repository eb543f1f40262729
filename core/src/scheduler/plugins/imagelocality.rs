//! ImageLocality: prefers nodes that already have the pod's container
//! images, weighting each image by its size and by how widely it is spread
//! over the cluster (`pkg/scheduler/framework/plugins/imagelocality`).
//!
//! Upstream reads the node count from the snapshot inside Score; here PreScore
//! records it together with the pod's normalized image names, so Score
//! allocates nothing. Score has no NormalizeScore: the raw value is in `0..=100`.
//!
//! ```
//! use kubelogic::scheduler::plugins::imagelocality::{calculate_priority, MB};
//!
//! // Below the 23MiB threshold an image counts for nothing ...
//! assert_eq!(calculate_priority(10 * MB, 1), 0);
//! // ... at 1000MiB per container the score is full.
//! assert_eq!(calculate_priority(2000 * MB, 2), 100);
//! ```

use crate::scheduler::framework::{
    fill_scores, missing_state, CycleState, NodeScore, PreScorePlugin, ScorePlugin, Status,
    MAX_NODE_SCORE,
};
use crate::scheduler::plugins::names;
use crate::scheduler::snapshot::{
    normalized_image_name, ImageStateSummary, NodeInfo, PodInfo, Snapshot,
};

/// One mebibyte.
pub const MB: i64 = 1024 * 1024;
/// `minThreshold`: the image sum below which a node scores 0.
pub const MIN_THRESHOLD: i64 = 23 * MB;
/// `maxContainerThreshold`: the per-container image sum at which a node scores 100.
pub const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

/// The ImageLocality plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct ImageLocality;

crate::scheduler::framework::plugin!(ImageLocality, names::IMAGE_LOCALITY, [PreScore, Score]);

/// What PreScore records for Score.
#[derive(Clone, Debug, Default)]
pub struct PreScoreState {
    /// The number of nodes in the snapshot (`totalNumNodes`).
    pub total_num_nodes: usize,
    /// Normalized image names of the init containers, then the containers
    /// (one entry per container; duplicates count twice, as upstream).
    pub images: Vec<String>,
    /// `len(initContainers) + len(containers)`.
    pub num_containers: usize,
    /// Whether any node of the snapshot holds one of the images (when none
    /// does, every node gets the same score and Score skips the lookups).
    pub on_some_node: bool,
    /// The score of a node with none of the images (`calculatePriority(0, n)`).
    pub score_without_images: i64,
}

impl PreScoreState {
    /// The state for `pod` in a snapshot of `total_num_nodes` nodes.
    pub fn new(pod: &PodInfo, total_num_nodes: usize) -> Self {
        let spec = &pod.pod.spec;
        let images = spec
            .init_containers
            .iter()
            .chain(spec.containers.iter())
            .map(|c| normalized_image_name(c.image.as_deref().unwrap_or("")))
            .collect();
        PreScoreState {
            total_num_nodes,
            images,
            num_containers: spec.init_containers.len() + spec.containers.len(),
            on_some_node: true,
            score_without_images: calculate_priority(
                0,
                spec.init_containers.len() + spec.containers.len(),
            ),
        }
    }
}

/// `scaledImageScore`: the image size scaled by the fraction of nodes that
/// have it, in float32 as upstream.
pub fn scaled_image_score(state: &ImageStateSummary, total_num_nodes: usize) -> i64 {
    if total_num_nodes == 0 {
        return 0;
    }
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let spread = state.num_nodes as f32 / total_num_nodes as f32;
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let score = (state.size as f32 * spread) as i64;
    score
}

/// `calculatePriority`: clamps the image sum to `[23MiB, 1000MiB ×
/// containers]` and maps it linearly onto `0..=100`.
pub fn calculate_priority(sum_scores: i64, num_containers: usize) -> i64 {
    let n = i64::try_from(num_containers).unwrap_or(i64::MAX);
    let max_threshold = MAX_CONTAINER_THRESHOLD.saturating_mul(n);
    let sum = if sum_scores < MIN_THRESHOLD {
        MIN_THRESHOLD
    } else if sum_scores > max_threshold {
        max_threshold
    } else {
        sum_scores
    };
    // i64 unless an intermediate overflows (huge sums), then i128: both
    // truncate toward zero, as Go's integer division.
    let fast = sum
        .checked_sub(MIN_THRESHOLD)
        .and_then(|d| d.checked_mul(MAX_NODE_SCORE))
        .zip(max_threshold.checked_sub(MIN_THRESHOLD));
    if let Some((num, den)) = fast {
        return num.checked_div(den).unwrap_or(0);
    }
    let num = i128::from(MAX_NODE_SCORE) * (i128::from(sum) - i128::from(MIN_THRESHOLD));
    let den = i128::from(max_threshold) - i128::from(MIN_THRESHOLD);
    if den == 0 {
        return 0;
    }
    i64::try_from(num / den).unwrap_or(0)
}

/// The score of one node: `sumImageScores` then `calculatePriority`
/// (without looking the images up when no node holds any of them).
pub fn score(state: &PreScoreState, node: &NodeInfo) -> i64 {
    if !state.on_some_node {
        return state.score_without_images;
    }
    let sum = state
        .images
        .iter()
        .filter_map(|image| node.image_state(image))
        .fold(0i64, |acc, s| {
            acc.saturating_add(scaled_image_score(s, state.total_num_nodes))
        });
    calculate_priority(sum, state.num_containers)
}

impl PreScorePlugin for ImageLocality {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _nodes: &[&NodeInfo],
        snapshot: &Snapshot,
    ) -> Status {
        let mut s = PreScoreState::new(pod, snapshot.nodes().len());
        s.on_some_node = s
            .images
            .iter()
            .any(|image| snapshot.image_node_count(image) > 0);
        state.write(s);
        Status::success()
    }
}

impl ScorePlugin for ImageLocality {
    fn score(&self, state: &CycleState, _pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        let s = state
            .read::<PreScoreState>()
            .ok_or_else(|| missing_state("PreScoreImageLocality"))?;
        Ok(score(s, node))
    }

    fn score_nodes(
        &self,
        state: &CycleState,
        _pod: &PodInfo,
        nodes: &[&NodeInfo],
        scores: &mut [NodeScore<'_>],
    ) -> Result<(), Status> {
        let s = state
            .read::<PreScoreState>()
            .ok_or_else(|| missing_state("PreScoreImageLocality"))?;
        if s.on_some_node {
            fill_scores(nodes, scores, |node| score(s, node));
        } else {
            // No node holds any of the images: one score for every node.
            scores
                .iter_mut()
                .for_each(|slot| slot.score = s.score_without_images);
        }
        Ok(())
    }
}
