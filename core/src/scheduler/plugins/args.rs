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
use crate::model::de::{for_each_known_field, missing_field, FromJson, PathError};

impl FromJson for NodeAffinityArgs {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        const FIELDS: &[&str] = &["addedAffinity"];
        let mut out = NodeAffinityArgs::default();
        for_each_known_field(v, "struct NodeAffinityArgs", FIELDS, &mut |_, v| {
            out.added_affinity = FromJson::from_json(v)?;
            Ok(())
        })?;
        Ok(out)
    }
}

impl FromJson for NodeResourcesBalancedAllocationArgs {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        const FIELDS: &[&str] = &["resources"];
        let mut out = NodeResourcesBalancedAllocationArgs::default();
        let expected = "struct NodeResourcesBalancedAllocationArgs";
        for_each_known_field(v, expected, FIELDS, &mut |_, v| {
            out.resources = FromJson::from_json(v)?;
            Ok(())
        })?;
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
        for_each_known_field(v, "struct NodeResourcesFitArgs", FIELDS, &mut |k, v| {
            match k {
                "ignoredResources" => out.ignored_resources = FromJson::from_json(v)?,
                "ignoredResourceGroups" => out.ignored_resource_groups = FromJson::from_json(v)?,
                _ => out.scoring_strategy = FromJson::from_json(v)?,
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
        for_each_known_field(v, "struct ScoringStrategy", FIELDS, &mut |k, v| {
            match k {
                "type" => out.type_ = FromJson::from_json(v)?,
                "resources" => out.resources = FromJson::from_json(v)?,
                _ => out.requested_to_capacity_ratio = FromJson::from_json(v)?,
            }
            Ok(())
        })?;
        Ok(out)
    }
}

impl FromJson for RequestedToCapacityRatioParam {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        const FIELDS: &[&str] = &["shape"];
        let mut out = RequestedToCapacityRatioParam::default();
        let expected = "struct RequestedToCapacityRatioParam";
        for_each_known_field(v, expected, FIELDS, &mut |_, v| {
            out.shape = FromJson::from_json(v)?;
            Ok(())
        })?;
        Ok(out)
    }
}

impl FromJson for UtilizationShapePoint {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        const FIELDS: &[&str] = &["utilization", "score"];
        let mut out = UtilizationShapePoint {
            utilization: 0,
            score: 0,
        };
        for_each_known_field(v, "struct UtilizationShapePoint", FIELDS, &mut |k, v| {
            match k {
                "utilization" => out.utilization = FromJson::from_json(v)?,
                _ => out.score = FromJson::from_json(v)?,
            }
            Ok(())
        })?;
        Ok(out)
    }
}

impl FromJson for ResourceSpec {
    fn from_json(v: &Value) -> Result<Self, PathError> {
        const FIELDS: &[&str] = &["name", "weight"];
        let (mut name, mut weight) = (None, 0);
        for_each_known_field(v, "struct ResourceSpec", FIELDS, &mut |k, v| {
            match k {
                "name" => name = Some(FromJson::from_json(v)?),
                _ => weight = FromJson::from_json(v)?,
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
