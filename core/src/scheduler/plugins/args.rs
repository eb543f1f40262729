//! Readers of the plugins' args (KubeSchedulerConfiguration JSON) over a
//! [`serde_json::Value`]: as strict as the upstream decoder (unknown fields
//! are errors, as `deny_unknown_fields`), with the field path of every error.

use serde_json::Value;

use super::nodeaffinity::NodeAffinityArgs;
use super::noderesources::fit::RequestedToCapacityRatioParam;
use super::noderesources::requested_to_capacity_ratio::UtilizationShapePoint;
use super::noderesources::{
    NodeResourcesBalancedAllocationArgs, NodeResourcesFitArgs, ResourceSpec, ScoringStrategy,
};
use crate::model::de::{field, for_each_field, missing_field, unknown_field, FromJson, PathError};

impl FromJson for NodeAffinityArgs {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        let mut out = NodeAffinityArgs::default();
        for_each_field(v, "struct NodeAffinityArgs", &mut |k, v| {
            match k {
                "addedAffinity" => out.added_affinity = field(k, v)?,
                _ => return Err(unknown_field(k, &["addedAffinity"])),
            }
            Ok(())
        })?;
        Ok(out)
    }
}

impl FromJson for NodeResourcesBalancedAllocationArgs {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        let mut out = NodeResourcesBalancedAllocationArgs::default();
        for_each_field(
            v,
            "struct NodeResourcesBalancedAllocationArgs",
            &mut |k, v| {
                match k {
                    "resources" => out.resources = field(k, v)?,
                    _ => return Err(unknown_field(k, &["resources"])),
                }
                Ok(())
            },
        )?;
        Ok(out)
    }
}

impl FromJson for NodeResourcesFitArgs {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        const FIELDS: &[&str] = &[
            "ignoredResources",
            "ignoredResourceGroups",
            "scoringStrategy",
        ];
        let mut out = NodeResourcesFitArgs::default();
        for_each_field(v, "struct NodeResourcesFitArgs", &mut |k, v| {
            match k {
                "ignoredResources" => out.ignored_resources = field(k, v)?,
                "ignoredResourceGroups" => out.ignored_resource_groups = field(k, v)?,
                "scoringStrategy" => out.scoring_strategy = field(k, v)?,
                _ => return Err(unknown_field(k, FIELDS)),
            }
            Ok(())
        })?;
        Ok(out)
    }
}

impl FromJson for ScoringStrategy {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        const FIELDS: &[&str] = &["type", "resources", "requestedToCapacityRatio"];
        let mut out = ScoringStrategy::default();
        for_each_field(v, "struct ScoringStrategy", &mut |k, v| {
            match k {
                "type" => out.type_ = field(k, v)?,
                "resources" => out.resources = field(k, v)?,
                "requestedToCapacityRatio" => out.requested_to_capacity_ratio = field(k, v)?,
                _ => return Err(unknown_field(k, FIELDS)),
            }
            Ok(())
        })?;
        Ok(out)
    }
}

impl FromJson for RequestedToCapacityRatioParam {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        let mut out = RequestedToCapacityRatioParam::default();
        for_each_field(v, "struct RequestedToCapacityRatioParam", &mut |k, v| {
            match k {
                "shape" => out.shape = field(k, v)?,
                _ => return Err(unknown_field(k, &["shape"])),
            }
            Ok(())
        })?;
        Ok(out)
    }
}

impl FromJson for UtilizationShapePoint {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        let mut out = UtilizationShapePoint {
            utilization: 0,
            score: 0,
        };
        for_each_field(v, "struct UtilizationShapePoint", &mut |k, v| {
            match k {
                "utilization" => out.utilization = field(k, v)?,
                "score" => out.score = field(k, v)?,
                _ => return Err(unknown_field(k, &["utilization", "score"])),
            }
            Ok(())
        })?;
        Ok(out)
    }
}

impl FromJson for ResourceSpec {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        let (mut name, mut weight) = (None, 0);
        for_each_field(v, "struct ResourceSpec", &mut |k, v| {
            match k {
                "name" => name = Some(field(k, v)?),
                "weight" => weight = field(k, v)?,
                _ => return Err(unknown_field(k, &["name", "weight"])),
            }
            Ok(())
        })?;
        Ok(ResourceSpec {
            name: name.ok_or_else(|| missing_field("name"))?,
            weight,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn both<T: FromJson + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(v: Value) {
        let serde = crate::model::de::from_value::<T>(&v).map_err(|e| e.to_string());
        let reader = T::from_json(&v).map_err(|e| e.to_string());
        assert_eq!(reader, serde, "{v}");
    }

    /// The readers accept and reject what the serde derives of the args do,
    /// with the same paths and words.
    #[test]
    fn readers_agree_with_the_serde_derives() {
        let fits = [
            json!({}),
            json!({"ignoredResources": ["a"], "ignoredResourceGroups": null}),
            json!({"scoringStrategy": {"type": "MostAllocated", "resources": [{"name": "cpu"}]}}),
            json!({"scoringStrategy": {"resources": [{"weight": 2}]}}),
            json!({"scoringStrategy": {"resources": [{"name": "cpu", "weight": "2"}]}}),
            json!({"scoringStrategy": {"resources": [{"name": "cpu", "x": 1}]}}),
            json!({"scoringStrategy": {"requestedToCapacityRatio": {"shape": [
                {"utilization": 1, "score": 2}, {"utilization": 1.5}]}}}),
            json!({"scoringStrategy": {"requestedToCapacityRatio": {"shape": [{"u": 1}]}}}),
            json!({"scoringStrategy": {"requestedToCapacityRatio": {"shapes": []}}}),
            json!({"scoringStrategy": {"type": 1}}),
            json!({"scoringStrategy": []}),
            json!({"ignored": []}),
            json!([]),
        ];
        for v in fits {
            both::<NodeResourcesFitArgs>(v);
        }
        for v in [
            json!({"resources": [{"name": "cpu", "weight": 1}]}),
            json!({"resources": {}}),
            json!({"resource": []}),
        ] {
            both::<NodeResourcesBalancedAllocationArgs>(v);
        }
        for v in [json!({"addedAffinity": null}), json!({"added": null})] {
            both::<NodeAffinityArgs>(v);
        }
        // A model type inside args keeps its full path.
        let err = NodeAffinityArgs::from_json(&json!({"addedAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "a", "operator": "Bad"}]}]}}}))
        .unwrap_err();
        assert_eq!(
            err.path,
            "addedAffinity.requiredDuringSchedulingIgnoredDuringExecution\
             .nodeSelectorTerms[0].matchExpressions[0].operator"
        );
    }
}
