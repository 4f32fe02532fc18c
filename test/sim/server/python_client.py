"""The official Kubernetes Python client against `knockdown sim`, as a user's own script
would use it: list pods, watch from a resourceVersion while a pod is deleted, exec
`getent hosts redis-follower` in a frontend pod, and the guestbook through the service
proxy. Run by test/sim/server/python-client.test.ts:

    python3 python_client.py KUBECONFIG

Prints one JSON object with what it saw; any failure is an exception and a non-zero exit.
"""
import json
import sys

from kubernetes import client, config, watch
from kubernetes.stream import stream


def main(kubeconfig):
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    seen = {}

    # List: all of kube-system, then by label.
    kube_system = core.list_namespaced_pod("kube-system")
    seen["kube_system_pods"] = sorted(pod.metadata.name for pod in kube_system.items)
    dns = core.list_namespaced_pod("kube-system", label_selector="k8s-app=kube-dns")
    seen["kube_dns_pods"] = sorted(pod.metadata.name for pod in dns.items)

    # Two running frontend pods: one to delete, one to exec in.
    frontends = core.list_namespaced_pod("default", label_selector="app=guestbook,tier=frontend")
    running = sorted(
        (pod for pod in frontends.items if pod.status.phase == "Running" and not pod.metadata.deletion_timestamp),
        key=lambda pod: pod.metadata.name,
    )
    assert len(running) >= 2, "expected two running frontend pods, found %d" % len(running)
    victim, survivor = running[0], running[1]

    # Watch from the list's resourceVersion while the victim is deleted: its DELETED event
    # must arrive (the client sends watch=True).
    core.delete_namespaced_pod(victim.metadata.name, "default")
    events = []
    watcher = watch.Watch()
    for event in watcher.stream(
        core.list_namespaced_pod,
        "default",
        resource_version=frontends.metadata.resource_version,
        timeout_seconds=60,
    ):
        events.append([event["type"], event["object"].metadata.name])
        if event["type"] == "DELETED" and event["object"].metadata.uid == victim.metadata.uid:
            watcher.stop()
            break
    seen["deleted"] = victim.metadata.name
    seen["watch_events"] = events

    # Exec over WebSocket (the client asks with stdout=True, stderr=True, stdin=False).
    seen["exec_pod"] = survivor.metadata.name
    seen["exec_output"] = stream(
        core.connect_get_namespaced_pod_exec,
        survivor.metadata.name,
        "default",
        container="php-redis",
        command=["getent", "hosts", "redis-follower"],
        stderr=True,
        stdin=False,
        stdout=True,
        tty=False,
    )

    # The service proxy: the frontend's page by the generated method, and the guestbook's
    # `get` (a query string, which path parameters would escape) by the client's call_api.
    seen["proxy_index"] = core.connect_get_namespaced_service_proxy_with_path("frontend:80", "default", "index.html")
    # Unread (_preload_content=False): with response_type "str" the client would parse the
    # JSON body and print it back as a Python dict.
    response = core.api_client.call_api(
        "/api/v1/namespaces/{namespace}/services/{name}/proxy/{path}",
        "GET",
        path_params={"namespace": "default", "name": "frontend:80", "path": "guestbook.php"},
        query_params=[("cmd", "get")],
        header_params={"Accept": "*/*"},
        auth_settings=["BearerToken"],
        _return_http_data_only=True,
        _preload_content=False,
    )
    seen["proxy_get"] = response.data.decode("utf-8")

    print(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1])
