//! Shared inputs for kubelogic's criterion benches.
#![forbid(unsafe_code)]

/// Synthetic clusters shaped like kube-scheduler's scheduler_perf workloads
/// (`test/integration/scheduler_perf`), shared by the `scheduler` bench and
/// the `cycle_cpu` example.
#[allow(clippy::missing_panics_doc, clippy::expect_used, clippy::panic)]
pub mod scheduler_perf {
    use kubelogic::model::{self, Node, Pod};
    use kubelogic::scheduler::Snapshot;
    use kubelogic::FeatureGates;
    use serde_json::{json, Value};

    /// Nodes in every cluster.
    pub const NODES: usize = 5000;
    /// Node `i`: 4 cpu, 32Gi, 110 pods, in zone `i % 3 + 1`.
    pub fn node(i: usize) -> Node {
        let name = format!("node-{i:05}");
        let v = json!({
            "metadata": {"name": name, "labels": {
                "kubernetes.io/hostname": name,
                "topology.kubernetes.io/zone": format!("zone{}", i % 3 + 1)}},
            "status": {
                "allocatable": {"cpu": "4", "memory": "32Gi", "pods": "110"},
                "capacity": {"cpu": "4", "memory": "32Gi", "pods": "110"}}
        });
        model::from_value_at(&v, "node").expect("node")
    }

    /// A pod requesting 100m cpu and 500Mi (scheduler_perf's pod-default).
    pub fn pod_json(
        name: &str,
        labels: Value,
        affinity: Option<Value>,
        spread: Option<Value>,
    ) -> Value {
        let mut spec = json!({"containers": [{"name": "pause", "image": "registry.k8s.io/pause:3.10",
            "resources": {"requests": {"cpu": "100m", "memory": "500Mi"}}}]});
        if let Some(a) = affinity {
            spec["affinity"] = a;
        }
        if let Some(s) = spread {
            spec["topologySpreadConstraints"] = s;
        }
        json!({"metadata": {"name": name, "namespace": "default", "labels": labels}, "spec": spec})
    }

    /// The pod template of a shape (name set by the caller).
    pub fn template(shape: &str, name: &str) -> Pod {
        let v = match shape {
            "requests" => pod_json(name, json!({"app": "basic"}), None, None),
            "node_affinity" => pod_json(
                name,
                json!({"app": "na"}),
                Some(
                    json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [{"matchExpressions": [{
                        "key": "topology.kubernetes.io/zone", "operator": "In",
                        "values": ["zone1", "zone2"]}]}]}}}),
                ),
                None,
            ),
            "pod_anti_affinity" => pod_json(
                name,
                json!({"color": "green"}),
                Some(
                    json!({"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{
                    "labelSelector": {"matchLabels": {"color": "green"}},
                    "topologyKey": "kubernetes.io/hostname"}]}}),
                ),
                None,
            ),
            "preferred_pod_affinity" => pod_json(
                name,
                json!({"foo": "bar"}),
                Some(
                    json!({"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
                    "weight": 1,
                    "podAffinityTerm": {"labelSelector": {"matchLabels": {"foo": "bar"}},
                        "topologyKey": "kubernetes.io/hostname"}}]}}),
                ),
                None,
            ),
            "topology_spread" => pod_json(
                name,
                json!({"color": "blue"}),
                None,
                Some(
                    json!([{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                    "whenUnsatisfiable": "DoNotSchedule",
                    "labelSelector": {"matchLabels": {"color": "blue"}}}]),
                ),
            ),
            other => panic!("unknown shape {other}"),
        };
        model::from_value_at(&v, "pod").expect("pod")
    }

    /// (shape, existing pods): scheduler_perf's initial pod counts.
    pub const SHAPES: &[(&str, usize)] = &[
        ("requests", 1000),
        ("node_affinity", 5000),
        ("pod_anti_affinity", 1000),
        ("preferred_pod_affinity", 5000),
        ("topology_spread", 5000),
    ];

    /// `existing` pods of the shape, bound to the 5,000 nodes round-robin.
    pub fn pods(shape: &str, existing: usize) -> Vec<Pod> {
        (0..existing)
            .map(|i| {
                let mut p = template(shape, &format!("init-{i:05}"));
                p.spec.node_name = Some(format!("node-{:05}", i % NODES));
                p
            })
            .collect()
    }

    /// 5,000 nodes and `existing` pods of the shape spread over them round-robin.
    pub fn cluster(shape: &str, existing: usize) -> Snapshot {
        let nodes: Vec<Node> = (0..NODES).map(node).collect();
        Snapshot::new(
            nodes,
            pods(shape, existing),
            Vec::new(),
            FeatureGates::default(),
        )
    }
}

/// A realistic `kubectl get nodes,pods -A -o json` dump, generated: nodes
/// with the labels, conditions, images and managedFields a kubelet writes,
/// pods with owner references, probes, env, volumes, tolerations, full
/// status and the managedFields of kube-controller-manager, the scheduler
/// and the kubelet (about 3 KB of JSON per pod, as real clusters show).
pub mod cluster_dump {
    use std::fmt::Write;

    /// The dump with `nodes` nodes and `pods_per_node` pods on each.
    pub fn generate(nodes: usize, pods_per_node: usize) -> String {
        let mut out = String::with_capacity(nodes * (6_000 + pods_per_node * 3_300));
        out.push_str("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n");
        let mut first = true;
        for n in 0..nodes {
            if !first {
                out.push_str(",\n");
            }
            first = false;
            node(&mut out, n);
        }
        for n in 0..nodes {
            for p in 0..pods_per_node {
                out.push_str(",\n");
                pod(&mut out, n, p);
            }
        }
        out.push_str("\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n");
        out
    }

    fn node(out: &mut String, n: usize) {
        let zone = n % 3;
        let _ = write!(
            out,
            r#"        {{
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {{
                "annotations": {{
                    "node.alpha.kubernetes.io/ttl": "0",
                    "volumes.kubernetes.io/controller-managed-attach-detach": "true"
                }},
                "creationTimestamp": "2026-11-02T08:14:{s:02}Z",
                "labels": {{
                    "beta.kubernetes.io/arch": "amd64",
                    "beta.kubernetes.io/os": "linux",
                    "kubernetes.io/arch": "amd64",
                    "kubernetes.io/hostname": "node-{n:05}",
                    "kubernetes.io/os": "linux",
                    "node.kubernetes.io/instance-type": "m6i.2xlarge",
                    "topology.kubernetes.io/region": "eu-west-1",
                    "topology.kubernetes.io/zone": "eu-west-1{z}"
                }},
                "managedFields": [
                    {{"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {{"f:metadata": {{"f:annotations": {{".": {{}}, "f:volumes.kubernetes.io/controller-managed-attach-detach": {{}}}}, "f:labels": {{".": {{}}, "f:beta.kubernetes.io/arch": {{}}, "f:beta.kubernetes.io/os": {{}}, "f:kubernetes.io/arch": {{}}, "f:kubernetes.io/hostname": {{}}, "f:kubernetes.io/os": {{}}}}}}}}, "manager": "kubelet", "operation": "Update", "time": "2026-11-02T08:14:00Z"}},
                    {{"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {{"f:status": {{"f:conditions": {{"k:{{\"type\":\"DiskPressure\"}}": {{"f:lastHeartbeatTime": {{}}}}, "k:{{\"type\":\"MemoryPressure\"}}": {{"f:lastHeartbeatTime": {{}}}}, "k:{{\"type\":\"PIDPressure\"}}": {{"f:lastHeartbeatTime": {{}}}}, "k:{{\"type\":\"Ready\"}}": {{"f:lastHeartbeatTime": {{}}, "f:lastTransitionTime": {{}}, "f:message": {{}}, "f:reason": {{}}, "f:status": {{}}}}}}, "f:images": {{}}, "f:nodeInfo": {{"f:bootID": {{}}}}}}}}, "manager": "kubelet", "operation": "Update", "subresource": "status", "time": "2026-12-07T10:00:00Z"}}
                ],
                "name": "node-{n:05}",
                "resourceVersion": "{rv}",
                "uid": "6f1c0e9a-{n:04x}-4d3e-9b1a-5c2d7e8f9a0b"
            }},
            "spec": {{
                "podCIDR": "10.{a}.{b}.0/24",
                "podCIDRs": ["10.{a}.{b}.0/24"],
                "providerID": "aws:///eu-west-1{z}/i-0{n:016x}"
            }},
            "status": {{
                "addresses": [
                    {{"address": "10.0.{a}.{b}", "type": "InternalIP"}},
                    {{"address": "node-{n:05}", "type": "Hostname"}}
                ],
                "allocatable": {{"cpu": "7910m", "ephemeral-storage": "95551679124", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "31619192Ki", "pods": "110"}},
                "capacity": {{"cpu": "8", "ephemeral-storage": "103680236Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "32336504Ki", "pods": "110"}},
                "conditions": [
                    {{"lastHeartbeatTime": "2026-12-07T10:00:00Z", "lastTransitionTime": "2026-11-02T08:14:00Z", "message": "kubelet has sufficient memory available", "reason": "KubeletHasSufficientMemory", "status": "False", "type": "MemoryPressure"}},
                    {{"lastHeartbeatTime": "2026-12-07T10:00:00Z", "lastTransitionTime": "2026-11-02T08:14:00Z", "message": "kubelet has no disk pressure", "reason": "KubeletHasNoDiskPressure", "status": "False", "type": "DiskPressure"}},
                    {{"lastHeartbeatTime": "2026-12-07T10:00:00Z", "lastTransitionTime": "2026-11-02T08:14:00Z", "message": "kubelet has sufficient PID available", "reason": "KubeletHasSufficientPID", "status": "False", "type": "PIDPressure"}},
                    {{"lastHeartbeatTime": "2026-12-07T10:00:00Z", "lastTransitionTime": "2026-11-02T08:15:00Z", "message": "kubelet is posting ready status", "reason": "KubeletReady", "status": "True", "type": "Ready"}}
                ],
                "daemonEndpoints": {{"kubeletEndpoint": {{"Port": 10250}}}},
                "images": [
                    {{"names": ["registry.k8s.io/kube-proxy@sha256:0b3c{n:060x}", "registry.k8s.io/kube-proxy:v1.35.0"], "sizeBytes": 30231245}},
                    {{"names": ["docker.io/library/nginx@sha256:1c7e{n:060x}", "docker.io/library/nginx:1.27"], "sizeBytes": 72955450}},
                    {{"names": ["registry.k8s.io/pause@sha256:ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a", "registry.k8s.io/pause:3.10"], "sizeBytes": 320368}}
                ],
                "nodeInfo": {{"architecture": "amd64", "bootID": "b1c2d3e4-{n:04x}-4f5a-8b9c-0d1e2f3a4b5c", "containerRuntimeVersion": "containerd://2.1.4", "kernelVersion": "6.1.0-40-cloud-amd64", "kubeProxyVersion": "", "kubeletVersion": "v1.35.0", "machineID": "ec2{n:029x}", "operatingSystem": "linux", "osImage": "Debian GNU/Linux 12 (bookworm)", "systemUUID": "ec2{n:029x}"}}
            }}
        }}"#,
            s = n % 60,
            z = ["a", "b", "c"][zone],
            rv = 100_000 + n,
            a = n / 250,
            b = n % 250,
        );
    }

    fn pod(out: &mut String, n: usize, p: usize) {
        let app = ["web", "api", "worker", "cache", "auth", "search"][p % 6];
        let hash = format!("{:010x}", (n * 7919 + p * 104_729) % 0xff_ffff_ffff);
        let name = format!("{app}-{hash}-{:05x}", n * 31 + p);
        let _ = write!(
            out,
            r#"        {{
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {{
                "annotations": {{"kubectl.kubernetes.io/restartedAt": "2026-11-30T12:00:00Z", "prometheus.io/scrape": "true", "prometheus.io/port": "9090"}},
                "creationTimestamp": "2026-12-01T09:{m:02}:00Z",
                "generateName": "{app}-{hash}-",
                "labels": {{"app.kubernetes.io/name": "{app}", "app.kubernetes.io/part-of": "shop", "pod-template-hash": "{hash}", "tier": "backend"}},
                "managedFields": [
                    {{"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {{"f:metadata": {{"f:annotations": {{".": {{}}, "f:kubectl.kubernetes.io/restartedAt": {{}}, "f:prometheus.io/port": {{}}, "f:prometheus.io/scrape": {{}}}}, "f:generateName": {{}}, "f:labels": {{".": {{}}, "f:app.kubernetes.io/name": {{}}, "f:app.kubernetes.io/part-of": {{}}, "f:pod-template-hash": {{}}, "f:tier": {{}}}}, "f:ownerReferences": {{".": {{}}, "k:{{\"uid\":\"3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7\"}}": {{}}}}}}, "f:spec": {{"f:containers": {{"k:{{\"name\":\"{app}\"}}": {{".": {{}}, "f:env": {{".": {{}}, "k:{{\"name\":\"POD_NAME\"}}": {{".": {{}}, "f:name": {{}}, "f:valueFrom": {{".": {{}}, "f:fieldRef": {{}}}}}}}}, "f:image": {{}}, "f:imagePullPolicy": {{}}, "f:livenessProbe": {{".": {{}}, "f:failureThreshold": {{}}, "f:httpGet": {{".": {{}}, "f:path": {{}}, "f:port": {{}}, "f:scheme": {{}}}}, "f:periodSeconds": {{}}}}, "f:name": {{}}, "f:ports": {{".": {{}}, "k:{{\"containerPort\":8080,\"protocol\":\"TCP\"}}": {{".": {{}}, "f:containerPort": {{}}, "f:name": {{}}, "f:protocol": {{}}}}}}, "f:resources": {{".": {{}}, "f:limits": {{".": {{}}, "f:memory": {{}}}}, "f:requests": {{".": {{}}, "f:cpu": {{}}, "f:memory": {{}}}}}}}}}}, "f:dnsPolicy": {{}}, "f:enableServiceLinks": {{}}, "f:restartPolicy": {{}}, "f:schedulerName": {{}}, "f:securityContext": {{}}, "f:terminationGracePeriodSeconds": {{}}}}}}, "manager": "kube-controller-manager", "operation": "Update", "time": "2026-12-01T09:00:00Z"}},
                    {{"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {{"f:status": {{"f:conditions": {{"k:{{\"type\":\"ContainersReady\"}}": {{".": {{}}, "f:lastProbeTime": {{}}, "f:lastTransitionTime": {{}}, "f:status": {{}}, "f:type": {{}}}}, "k:{{\"type\":\"Initialized\"}}": {{".": {{}}, "f:lastProbeTime": {{}}, "f:lastTransitionTime": {{}}, "f:status": {{}}, "f:type": {{}}}}, "k:{{\"type\":\"Ready\"}}": {{".": {{}}, "f:lastProbeTime": {{}}, "f:lastTransitionTime": {{}}, "f:status": {{}}, "f:type": {{}}}}}}, "f:containerStatuses": {{}}, "f:hostIP": {{}}, "f:phase": {{}}, "f:podIP": {{}}, "f:podIPs": {{".": {{}}, "k:{{\"ip\":\"10.{a}.{b}.{c}\"}}": {{".": {{}}, "f:ip": {{}}}}}}, "f:startTime": {{}}}}}}, "manager": "kubelet", "operation": "Update", "subresource": "status", "time": "2026-12-01T09:00:05Z"}}
                ],
                "name": "{name}",
                "namespace": "shop-{ns}",
                "ownerReferences": [{{"apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true, "kind": "ReplicaSet", "name": "{app}-{hash}", "uid": "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7"}}],
                "resourceVersion": "{rv}",
                "uid": "a1b2c3d4-{n:04x}-4{p:03x}-8e9f-0a1b2c3d4e5f"
            }},
            "spec": {{
                "containers": [{{
                    "env": [{{"name": "POD_NAME", "valueFrom": {{"fieldRef": {{"apiVersion": "v1", "fieldPath": "metadata.name"}}}}}}, {{"name": "LOG_LEVEL", "value": "info"}}],
                    "image": "registry.example.com/shop/{app}:2.14.{p}",
                    "imagePullPolicy": "IfNotPresent",
                    "livenessProbe": {{"failureThreshold": 3, "httpGet": {{"path": "/healthz", "port": 8080, "scheme": "HTTP"}}, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1}},
                    "name": "{app}",
                    "ports": [{{"containerPort": 8080, "name": "http", "protocol": "TCP"}}],
                    "readinessProbe": {{"failureThreshold": 3, "httpGet": {{"path": "/ready", "port": 8080, "scheme": "HTTP"}}, "periodSeconds": 5, "successThreshold": 1, "timeoutSeconds": 1}},
                    "resources": {{"limits": {{"memory": "{mem}Mi"}}, "requests": {{"cpu": "{cpu}m", "memory": "{mem}Mi"}}}},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [{{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-{hash}", "readOnly": true}}]
                }}],
                "dnsPolicy": "ClusterFirst",
                "enableServiceLinks": true,
                "nodeName": "node-{n:05}",
                "preemptionPolicy": "PreemptLowerPriority",
                "priority": 0,
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "securityContext": {{}},
                "serviceAccount": "default",
                "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30,
                "tolerations": [
                    {{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300}},
                    {{"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}}
                ],
                "volumes": [{{"name": "kube-api-access-{hash}", "projected": {{"defaultMode": 420, "sources": [{{"serviceAccountToken": {{"expirationSeconds": 3607, "path": "token"}}}}, {{"configMap": {{"items": [{{"key": "ca.crt", "path": "ca.crt"}}], "name": "kube-root-ca.crt"}}}}, {{"downwardAPI": {{"items": [{{"fieldRef": {{"apiVersion": "v1", "fieldPath": "metadata.namespace"}}, "path": "namespace"}}]}}}}]}}}}]
            }},
            "status": {{
                "conditions": [
                    {{"lastProbeTime": null, "lastTransitionTime": "2026-12-01T09:00:02Z", "status": "True", "type": "PodReadyToStartContainers"}},
                    {{"lastProbeTime": null, "lastTransitionTime": "2026-12-01T09:00:00Z", "status": "True", "type": "Initialized"}},
                    {{"lastProbeTime": null, "lastTransitionTime": "2026-12-01T09:00:05Z", "status": "True", "type": "Ready"}},
                    {{"lastProbeTime": null, "lastTransitionTime": "2026-12-01T09:00:05Z", "status": "True", "type": "ContainersReady"}},
                    {{"lastProbeTime": null, "lastTransitionTime": "2026-12-01T09:00:00Z", "status": "True", "type": "PodScheduled"}}
                ],
                "containerStatuses": [{{"containerID": "containerd://{hash}{hash}{hash}{hash}{hash}{hash}abcd", "image": "registry.example.com/shop/{app}:2.14.{p}", "imageID": "registry.example.com/shop/{app}@sha256:{hash}{hash}{hash}{hash}{hash}{hash}abcd", "lastState": {{}}, "name": "{app}", "ready": true, "restartCount": {restarts}, "started": true, "state": {{"running": {{"startedAt": "2026-12-01T09:00:03Z"}}}}}}],
                "hostIP": "10.0.{a}.{b}",
                "hostIPs": [{{"ip": "10.0.{a}.{b}"}}],
                "phase": "Running",
                "podIP": "10.{a}.{b}.{c}",
                "podIPs": [{{"ip": "10.{a}.{b}.{c}"}}],
                "qosClass": "Burstable",
                "startTime": "2026-12-01T09:00:00Z"
            }}
        }}"#,
            m = p % 60,
            ns = p % 7,
            rv = 200_000 + n * 100 + p,
            a = n / 250,
            b = n % 250,
            c = p + 2,
            cpu = 50 + (p % 8) * 25,
            mem = 64 + (p % 6) * 64,
            restarts = p % 3,
        );
    }
}
