// Recorded objects of a real kind cluster (Kubernetes v1.33.1, from fixtures/kind-1.33/),
// trimmed to what the simulated kind profile builds from: names rewritten to kind's default
// cluster name, server-set fields (uid, resourceVersion, workload status) removed.
import type {KubeObject} from '../store.js';

export const kindNodes: KubeObject[] = [
	{
		"apiVersion": "v1",
		"kind": "Node",
		"metadata": {
			"name": "kind-control-plane",
			"labels": {
				"beta.kubernetes.io/arch": "arm64",
				"beta.kubernetes.io/os": "linux",
				"ingress-ready": "true",
				"kubernetes.io/arch": "arm64",
				"kubernetes.io/hostname": "kind-control-plane",
				"kubernetes.io/os": "linux",
				"node-role.kubernetes.io/control-plane": "",
				"node.kubernetes.io/exclude-from-external-load-balancers": ""
			},
			"annotations": {
				"kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
				"node.alpha.kubernetes.io/ttl": "0",
				"volumes.kubernetes.io/controller-managed-attach-detach": "true"
			}
		},
		"spec": {
			"podCIDR": "10.244.0.0/24",
			"podCIDRs": [
				"10.244.0.0/24"
			],
			"providerID": "kind://docker/kind/kind-control-plane",
			"taints": [
				{
					"key": "node-role.kubernetes.io/control-plane",
					"effect": "NoSchedule"
				}
			]
		},
		"status": {
			"capacity": {
				"cpu": "4",
				"ephemeral-storage": "954976684Ki",
				"hugepages-1Gi": "0",
				"hugepages-2Mi": "0",
				"hugepages-32Mi": "0",
				"hugepages-64Ki": "0",
				"memory": "10949044Ki",
				"pods": "110"
			},
			"allocatable": {
				"cpu": "4",
				"ephemeral-storage": "954976684Ki",
				"hugepages-1Gi": "0",
				"hugepages-2Mi": "0",
				"hugepages-32Mi": "0",
				"hugepages-64Ki": "0",
				"memory": "10949044Ki",
				"pods": "110"
			},
			"conditions": [
				{
					"type": "MemoryPressure",
					"status": "False",
					"lastHeartbeatTime": "2025-08-10T02:08:14Z",
					"lastTransitionTime": "2025-08-09T22:55:01Z",
					"reason": "KubeletHasSufficientMemory",
					"message": "kubelet has sufficient memory available"
				},
				{
					"type": "DiskPressure",
					"status": "False",
					"lastHeartbeatTime": "2025-08-10T02:08:14Z",
					"lastTransitionTime": "2025-08-09T22:55:01Z",
					"reason": "KubeletHasNoDiskPressure",
					"message": "kubelet has no disk pressure"
				},
				{
					"type": "PIDPressure",
					"status": "False",
					"lastHeartbeatTime": "2025-08-10T02:08:14Z",
					"lastTransitionTime": "2025-08-09T22:55:01Z",
					"reason": "KubeletHasSufficientPID",
					"message": "kubelet has sufficient PID available"
				},
				{
					"type": "Ready",
					"status": "True",
					"lastHeartbeatTime": "2025-08-10T02:08:14Z",
					"lastTransitionTime": "2025-08-09T22:55:23Z",
					"reason": "KubeletReady",
					"message": "kubelet is posting ready status"
				}
			],
			"addresses": [
				{
					"type": "InternalIP",
					"address": "172.18.0.2"
				},
				{
					"type": "Hostname",
					"address": "kind-control-plane"
				}
			],
			"daemonEndpoints": {
				"kubeletEndpoint": {
					"Port": 10250
				}
			},
			"nodeInfo": {
				"machineID": "15f289e328504397a69cc34bc25a3a11",
				"systemUUID": "15f289e328504397a69cc34bc25a3a11",
				"bootID": "47ae59d9-2315-4b8e-9e6a-43f3904e5b8b",
				"kernelVersion": "6.10.14-linuxkit",
				"osImage": "Debian GNU/Linux 12 (bookworm)",
				"containerRuntimeVersion": "containerd://2.1.1",
				"kubeletVersion": "v1.33.1",
				"kubeProxyVersion": "",
				"operatingSystem": "linux",
				"architecture": "arm64",
				"swap": {
					"capacity": 1073737728
				}
			}
		}
	},
	{
		"apiVersion": "v1",
		"kind": "Node",
		"metadata": {
			"name": "kind-worker",
			"labels": {
				"beta.kubernetes.io/arch": "arm64",
				"beta.kubernetes.io/os": "linux",
				"kubernetes.io/arch": "arm64",
				"kubernetes.io/hostname": "kind-worker",
				"kubernetes.io/os": "linux"
			},
			"annotations": {
				"kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
				"node.alpha.kubernetes.io/ttl": "0",
				"volumes.kubernetes.io/controller-managed-attach-detach": "true"
			}
		},
		"spec": {
			"podCIDR": "10.244.1.0/24",
			"podCIDRs": [
				"10.244.1.0/24"
			],
			"providerID": "kind://docker/kind/kind-worker"
		},
		"status": {
			"capacity": {
				"cpu": "4",
				"ephemeral-storage": "954976684Ki",
				"hugepages-1Gi": "0",
				"hugepages-2Mi": "0",
				"hugepages-32Mi": "0",
				"hugepages-64Ki": "0",
				"memory": "10949044Ki",
				"pods": "110"
			},
			"allocatable": {
				"cpu": "4",
				"ephemeral-storage": "954976684Ki",
				"hugepages-1Gi": "0",
				"hugepages-2Mi": "0",
				"hugepages-32Mi": "0",
				"hugepages-64Ki": "0",
				"memory": "10949044Ki",
				"pods": "110"
			},
			"conditions": [
				{
					"type": "MemoryPressure",
					"status": "False",
					"lastHeartbeatTime": "2025-08-10T02:08:12Z",
					"lastTransitionTime": "2025-08-09T22:55:12Z",
					"reason": "KubeletHasSufficientMemory",
					"message": "kubelet has sufficient memory available"
				},
				{
					"type": "DiskPressure",
					"status": "False",
					"lastHeartbeatTime": "2025-08-10T02:08:12Z",
					"lastTransitionTime": "2025-08-09T22:55:12Z",
					"reason": "KubeletHasNoDiskPressure",
					"message": "kubelet has no disk pressure"
				},
				{
					"type": "PIDPressure",
					"status": "False",
					"lastHeartbeatTime": "2025-08-10T02:08:12Z",
					"lastTransitionTime": "2025-08-09T22:55:12Z",
					"reason": "KubeletHasSufficientPID",
					"message": "kubelet has sufficient PID available"
				},
				{
					"type": "Ready",
					"status": "True",
					"lastHeartbeatTime": "2025-08-10T02:08:12Z",
					"lastTransitionTime": "2025-08-09T22:55:25Z",
					"reason": "KubeletReady",
					"message": "kubelet is posting ready status"
				}
			],
			"addresses": [
				{
					"type": "InternalIP",
					"address": "172.18.0.3"
				},
				{
					"type": "Hostname",
					"address": "kind-worker"
				}
			],
			"daemonEndpoints": {
				"kubeletEndpoint": {
					"Port": 10250
				}
			},
			"nodeInfo": {
				"machineID": "38bceb38c6714da2bff7380bde36e7f8",
				"systemUUID": "38bceb38c6714da2bff7380bde36e7f8",
				"bootID": "47ae59d9-2315-4b8e-9e6a-43f3904e5b8b",
				"kernelVersion": "6.10.14-linuxkit",
				"osImage": "Debian GNU/Linux 12 (bookworm)",
				"containerRuntimeVersion": "containerd://2.1.1",
				"kubeletVersion": "v1.33.1",
				"kubeProxyVersion": "",
				"operatingSystem": "linux",
				"architecture": "arm64",
				"swap": {
					"capacity": 1073737728
				}
			}
		}
	}
];

export const kindDeployments: KubeObject[] = [
	{
		"apiVersion": "apps/v1",
		"kind": "Deployment",
		"metadata": {
			"name": "coredns",
			"namespace": "kube-system",
			"labels": {
				"k8s-app": "kube-dns"
			}
		},
		"spec": {
			"replicas": 2,
			"selector": {
				"matchLabels": {
					"k8s-app": "kube-dns"
				}
			},
			"template": {
				"metadata": {
					"labels": {
						"k8s-app": "kube-dns"
					}
				},
				"spec": {
					"volumes": [
						{
							"name": "config-volume",
							"configMap": {
								"name": "coredns",
								"items": [
									{
										"key": "Corefile",
										"path": "Corefile"
									}
								],
								"defaultMode": 420
							}
						}
					],
					"containers": [
						{
							"name": "coredns",
							"image": "registry.k8s.io/coredns/coredns:v1.12.0",
							"args": [
								"-conf",
								"/etc/coredns/Corefile"
							],
							"ports": [
								{
									"name": "dns",
									"containerPort": 53,
									"protocol": "UDP"
								},
								{
									"name": "dns-tcp",
									"containerPort": 53,
									"protocol": "TCP"
								},
								{
									"name": "metrics",
									"containerPort": 9153,
									"protocol": "TCP"
								}
							],
							"resources": {
								"limits": {
									"memory": "170Mi"
								},
								"requests": {
									"cpu": "100m",
									"memory": "70Mi"
								}
							},
							"volumeMounts": [
								{
									"name": "config-volume",
									"readOnly": true,
									"mountPath": "/etc/coredns"
								}
							],
							"livenessProbe": {
								"httpGet": {
									"path": "/health",
									"port": 8080,
									"scheme": "HTTP"
								},
								"initialDelaySeconds": 60,
								"timeoutSeconds": 5,
								"periodSeconds": 10,
								"successThreshold": 1,
								"failureThreshold": 5
							},
							"readinessProbe": {
								"httpGet": {
									"path": "/ready",
									"port": 8181,
									"scheme": "HTTP"
								},
								"timeoutSeconds": 1,
								"periodSeconds": 10,
								"successThreshold": 1,
								"failureThreshold": 3
							},
							"terminationMessagePath": "/dev/termination-log",
							"terminationMessagePolicy": "File",
							"imagePullPolicy": "IfNotPresent",
							"securityContext": {
								"capabilities": {
									"add": [
										"NET_BIND_SERVICE"
									],
									"drop": [
										"ALL"
									]
								},
								"readOnlyRootFilesystem": true,
								"allowPrivilegeEscalation": false
							}
						}
					],
					"restartPolicy": "Always",
					"terminationGracePeriodSeconds": 30,
					"dnsPolicy": "Default",
					"nodeSelector": {
						"kubernetes.io/os": "linux"
					},
					"serviceAccountName": "coredns",
					"serviceAccount": "coredns",
					"securityContext": {},
					"affinity": {
						"podAntiAffinity": {
							"preferredDuringSchedulingIgnoredDuringExecution": [
								{
									"weight": 100,
									"podAffinityTerm": {
										"labelSelector": {
											"matchExpressions": [
												{
													"key": "k8s-app",
													"operator": "In",
													"values": [
														"kube-dns"
													]
												}
											]
										},
										"topologyKey": "kubernetes.io/hostname"
									}
								}
							]
						}
					},
					"schedulerName": "default-scheduler",
					"tolerations": [
						{
							"key": "CriticalAddonsOnly",
							"operator": "Exists"
						},
						{
							"key": "node-role.kubernetes.io/control-plane",
							"effect": "NoSchedule"
						}
					],
					"priorityClassName": "system-cluster-critical"
				}
			},
			"strategy": {
				"type": "RollingUpdate",
				"rollingUpdate": {
					"maxUnavailable": 1,
					"maxSurge": "25%"
				}
			},
			"revisionHistoryLimit": 10,
			"progressDeadlineSeconds": 600
		}
	}
];

export const kindDaemonSets: KubeObject[] = [
	{
		"apiVersion": "apps/v1",
		"kind": "DaemonSet",
		"metadata": {
			"name": "kindnet",
			"namespace": "kube-system",
			"labels": {
				"app": "kindnet",
				"k8s-app": "kindnet",
				"tier": "node"
			}
		},
		"spec": {
			"selector": {
				"matchLabels": {
					"app": "kindnet"
				}
			},
			"template": {
				"metadata": {
					"labels": {
						"app": "kindnet",
						"k8s-app": "kindnet",
						"tier": "node"
					}
				},
				"spec": {
					"volumes": [
						{
							"name": "cni-cfg",
							"hostPath": {
								"path": "/etc/cni/net.d",
								"type": ""
							}
						},
						{
							"name": "xtables-lock",
							"hostPath": {
								"path": "/run/xtables.lock",
								"type": "FileOrCreate"
							}
						},
						{
							"name": "lib-modules",
							"hostPath": {
								"path": "/lib/modules",
								"type": ""
							}
						},
						{
							"name": "nri-plugin",
							"hostPath": {
								"path": "/var/run/nri",
								"type": ""
							}
						}
					],
					"containers": [
						{
							"name": "kindnet-cni",
							"image": "docker.io/kindest/kindnetd:v20250512-df8de77b",
							"env": [
								{
									"name": "HOST_IP",
									"valueFrom": {
										"fieldRef": {
											"apiVersion": "v1",
											"fieldPath": "status.hostIP"
										}
									}
								},
								{
									"name": "POD_IP",
									"valueFrom": {
										"fieldRef": {
											"apiVersion": "v1",
											"fieldPath": "status.podIP"
										}
									}
								},
								{
									"name": "POD_SUBNET",
									"value": "10.244.0.0/16"
								},
								{
									"name": "CONTROL_PLANE_ENDPOINT",
									"value": "kind-control-plane:6443"
								}
							],
							"resources": {
								"limits": {
									"cpu": "100m",
									"memory": "50Mi"
								},
								"requests": {
									"cpu": "100m",
									"memory": "50Mi"
								}
							},
							"volumeMounts": [
								{
									"name": "cni-cfg",
									"mountPath": "/etc/cni/net.d"
								},
								{
									"name": "xtables-lock",
									"mountPath": "/run/xtables.lock"
								},
								{
									"name": "lib-modules",
									"readOnly": true,
									"mountPath": "/lib/modules"
								},
								{
									"name": "nri-plugin",
									"mountPath": "/var/run/nri"
								}
							],
							"terminationMessagePath": "/dev/termination-log",
							"terminationMessagePolicy": "File",
							"imagePullPolicy": "IfNotPresent",
							"securityContext": {
								"capabilities": {
									"add": [
										"NET_RAW",
										"NET_ADMIN"
									]
								},
								"privileged": false
							}
						}
					],
					"restartPolicy": "Always",
					"terminationGracePeriodSeconds": 30,
					"dnsPolicy": "ClusterFirst",
					"nodeSelector": {
						"kubernetes.io/os": "linux"
					},
					"serviceAccountName": "kindnet",
					"serviceAccount": "kindnet",
					"hostNetwork": true,
					"securityContext": {},
					"schedulerName": "default-scheduler",
					"tolerations": [
						{
							"operator": "Exists"
						}
					]
				}
			},
			"updateStrategy": {
				"type": "RollingUpdate",
				"rollingUpdate": {
					"maxUnavailable": 1,
					"maxSurge": 0
				}
			},
			"revisionHistoryLimit": 10
		}
	},
	{
		"apiVersion": "apps/v1",
		"kind": "DaemonSet",
		"metadata": {
			"name": "kube-proxy",
			"namespace": "kube-system",
			"labels": {
				"k8s-app": "kube-proxy"
			}
		},
		"spec": {
			"selector": {
				"matchLabels": {
					"k8s-app": "kube-proxy"
				}
			},
			"template": {
				"metadata": {
					"labels": {
						"k8s-app": "kube-proxy"
					}
				},
				"spec": {
					"volumes": [
						{
							"name": "kube-proxy",
							"configMap": {
								"name": "kube-proxy",
								"defaultMode": 420
							}
						},
						{
							"name": "xtables-lock",
							"hostPath": {
								"path": "/run/xtables.lock",
								"type": "FileOrCreate"
							}
						},
						{
							"name": "lib-modules",
							"hostPath": {
								"path": "/lib/modules",
								"type": ""
							}
						}
					],
					"containers": [
						{
							"name": "kube-proxy",
							"image": "registry.k8s.io/kube-proxy:v1.33.1",
							"command": [
								"/usr/local/bin/kube-proxy",
								"--config=/var/lib/kube-proxy/config.conf",
								"--hostname-override=$(NODE_NAME)"
							],
							"env": [
								{
									"name": "NODE_NAME",
									"valueFrom": {
										"fieldRef": {
											"apiVersion": "v1",
											"fieldPath": "spec.nodeName"
										}
									}
								}
							],
							"resources": {},
							"volumeMounts": [
								{
									"name": "kube-proxy",
									"mountPath": "/var/lib/kube-proxy"
								},
								{
									"name": "xtables-lock",
									"mountPath": "/run/xtables.lock"
								},
								{
									"name": "lib-modules",
									"readOnly": true,
									"mountPath": "/lib/modules"
								}
							],
							"terminationMessagePath": "/dev/termination-log",
							"terminationMessagePolicy": "File",
							"imagePullPolicy": "IfNotPresent",
							"securityContext": {
								"privileged": true
							}
						}
					],
					"restartPolicy": "Always",
					"terminationGracePeriodSeconds": 30,
					"dnsPolicy": "ClusterFirst",
					"nodeSelector": {
						"kubernetes.io/os": "linux"
					},
					"serviceAccountName": "kube-proxy",
					"serviceAccount": "kube-proxy",
					"hostNetwork": true,
					"securityContext": {},
					"schedulerName": "default-scheduler",
					"tolerations": [
						{
							"operator": "Exists"
						}
					],
					"priorityClassName": "system-node-critical"
				}
			},
			"updateStrategy": {
				"type": "RollingUpdate",
				"rollingUpdate": {
					"maxUnavailable": 1,
					"maxSurge": 0
				}
			},
			"revisionHistoryLimit": 10
		}
	}
];

export const kindServices: KubeObject[] = [
	{
		"apiVersion": "v1",
		"kind": "Service",
		"metadata": {
			"name": "kube-dns",
			"namespace": "kube-system",
			"labels": {
				"k8s-app": "kube-dns",
				"kubernetes.io/cluster-service": "true",
				"kubernetes.io/name": "CoreDNS"
			},
			"annotations": {
				"prometheus.io/port": "9153",
				"prometheus.io/scrape": "true"
			}
		},
		"spec": {
			"ports": [
				{
					"name": "dns",
					"protocol": "UDP",
					"port": 53,
					"targetPort": 53
				},
				{
					"name": "dns-tcp",
					"protocol": "TCP",
					"port": 53,
					"targetPort": 53
				},
				{
					"name": "metrics",
					"protocol": "TCP",
					"port": 9153,
					"targetPort": 9153
				}
			],
			"selector": {
				"k8s-app": "kube-dns"
			},
			"clusterIP": "10.96.0.10",
			"clusterIPs": [
				"10.96.0.10"
			],
			"type": "ClusterIP",
			"sessionAffinity": "None",
			"ipFamilies": [
				"IPv4"
			],
			"ipFamilyPolicy": "SingleStack",
			"internalTrafficPolicy": "Cluster"
		}
	}
];

export const kindStaticPods: KubeObject[] = [
	{
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {
			"name": "etcd-kind-control-plane",
			"namespace": "kube-system",
			"labels": {
				"component": "etcd",
				"tier": "control-plane"
			},
			"annotations": {
				"kubeadm.kubernetes.io/etcd.advertise-client-urls": "https://172.18.0.2:2379",
				"kubernetes.io/config.hash": "9b801cf53c92457f5ddccb9cd1e816df",
				"kubernetes.io/config.mirror": "9b801cf53c92457f5ddccb9cd1e816df",
				"kubernetes.io/config.seen": "2025-08-09T22:55:00.200630172Z",
				"kubernetes.io/config.source": "file"
			}
		},
		"spec": {
			"volumes": [
				{
					"name": "etcd-certs",
					"hostPath": {
						"path": "/etc/kubernetes/pki/etcd",
						"type": "DirectoryOrCreate"
					}
				},
				{
					"name": "etcd-data",
					"hostPath": {
						"path": "/var/lib/etcd",
						"type": "DirectoryOrCreate"
					}
				}
			],
			"containers": [
				{
					"name": "etcd",
					"image": "registry.k8s.io/etcd:3.5.21-0",
					"command": [
						"etcd",
						"--advertise-client-urls=https://172.18.0.2:2379",
						"--cert-file=/etc/kubernetes/pki/etcd/server.crt",
						"--client-cert-auth=true",
						"--data-dir=/var/lib/etcd",
						"--experimental-initial-corrupt-check=true",
						"--experimental-watch-progress-notify-interval=5s",
						"--initial-advertise-peer-urls=https://172.18.0.2:2380",
						"--initial-cluster=kind-control-plane=https://172.18.0.2:2380",
						"--key-file=/etc/kubernetes/pki/etcd/server.key",
						"--listen-client-urls=https://127.0.0.1:2379,https://172.18.0.2:2379",
						"--listen-metrics-urls=http://127.0.0.1:2381",
						"--listen-peer-urls=https://172.18.0.2:2380",
						"--name=kind-control-plane",
						"--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
						"--peer-client-cert-auth=true",
						"--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
						"--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
						"--snapshot-count=10000",
						"--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt"
					],
					"resources": {
						"requests": {
							"cpu": "100m",
							"memory": "100Mi"
						}
					},
					"volumeMounts": [
						{
							"name": "etcd-data",
							"mountPath": "/var/lib/etcd"
						},
						{
							"name": "etcd-certs",
							"mountPath": "/etc/kubernetes/pki/etcd"
						}
					],
					"livenessProbe": {
						"httpGet": {
							"path": "/livez",
							"port": 2381,
							"host": "127.0.0.1",
							"scheme": "HTTP"
						},
						"initialDelaySeconds": 10,
						"timeoutSeconds": 15,
						"periodSeconds": 10,
						"successThreshold": 1,
						"failureThreshold": 8
					},
					"readinessProbe": {
						"httpGet": {
							"path": "/readyz",
							"port": 2381,
							"host": "127.0.0.1",
							"scheme": "HTTP"
						},
						"timeoutSeconds": 15,
						"periodSeconds": 1,
						"successThreshold": 1,
						"failureThreshold": 3
					},
					"startupProbe": {
						"httpGet": {
							"path": "/readyz",
							"port": 2381,
							"host": "127.0.0.1",
							"scheme": "HTTP"
						},
						"initialDelaySeconds": 10,
						"timeoutSeconds": 15,
						"periodSeconds": 10,
						"successThreshold": 1,
						"failureThreshold": 24
					},
					"terminationMessagePath": "/dev/termination-log",
					"terminationMessagePolicy": "File",
					"imagePullPolicy": "IfNotPresent"
				}
			],
			"restartPolicy": "Always",
			"terminationGracePeriodSeconds": 30,
			"dnsPolicy": "ClusterFirst",
			"nodeName": "kind-control-plane",
			"hostNetwork": true,
			"securityContext": {
				"seccompProfile": {
					"type": "RuntimeDefault"
				}
			},
			"schedulerName": "default-scheduler",
			"tolerations": [
				{
					"operator": "Exists",
					"effect": "NoExecute"
				}
			],
			"priorityClassName": "system-node-critical",
			"priority": 2000001000,
			"enableServiceLinks": true,
			"preemptionPolicy": "PreemptLowerPriority"
		}
	},
	{
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {
			"name": "kube-apiserver-kind-control-plane",
			"namespace": "kube-system",
			"labels": {
				"component": "kube-apiserver",
				"tier": "control-plane"
			},
			"annotations": {
				"kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": "172.18.0.2:6443",
				"kubernetes.io/config.hash": "34e5c60aaa7cde8d7fb9198083f86d33",
				"kubernetes.io/config.mirror": "34e5c60aaa7cde8d7fb9198083f86d33",
				"kubernetes.io/config.seen": "2025-08-09T22:55:00.200631547Z",
				"kubernetes.io/config.source": "file"
			}
		},
		"spec": {
			"volumes": [
				{
					"name": "ca-certs",
					"hostPath": {
						"path": "/etc/ssl/certs",
						"type": "DirectoryOrCreate"
					}
				},
				{
					"name": "etc-ca-certificates",
					"hostPath": {
						"path": "/etc/ca-certificates",
						"type": "DirectoryOrCreate"
					}
				},
				{
					"name": "k8s-certs",
					"hostPath": {
						"path": "/etc/kubernetes/pki",
						"type": "DirectoryOrCreate"
					}
				},
				{
					"name": "usr-local-share-ca-certificates",
					"hostPath": {
						"path": "/usr/local/share/ca-certificates",
						"type": "DirectoryOrCreate"
					}
				},
				{
					"name": "usr-share-ca-certificates",
					"hostPath": {
						"path": "/usr/share/ca-certificates",
						"type": "DirectoryOrCreate"
					}
				}
			],
			"containers": [
				{
					"name": "kube-apiserver",
					"image": "registry.k8s.io/kube-apiserver:v1.33.1",
					"command": [
						"kube-apiserver",
						"--advertise-address=172.18.0.2",
						"--allow-privileged=true",
						"--authorization-mode=Node,RBAC",
						"--client-ca-file=/etc/kubernetes/pki/ca.crt",
						"--enable-admission-plugins=NodeRestriction",
						"--enable-bootstrap-token-auth=true",
						"--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
						"--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
						"--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
						"--etcd-servers=https://127.0.0.1:2379",
						"--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
						"--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
						"--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
						"--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt",
						"--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key",
						"--requestheader-allowed-names=front-proxy-client",
						"--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
						"--requestheader-extra-headers-prefix=X-Remote-Extra-",
						"--requestheader-group-headers=X-Remote-Group",
						"--requestheader-username-headers=X-Remote-User",
						"--runtime-config=",
						"--secure-port=6443",
						"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
						"--service-account-key-file=/etc/kubernetes/pki/sa.pub",
						"--service-account-signing-key-file=/etc/kubernetes/pki/sa.key",
						"--service-cluster-ip-range=10.96.0.0/16",
						"--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
						"--tls-private-key-file=/etc/kubernetes/pki/apiserver.key"
					],
					"resources": {
						"requests": {
							"cpu": "250m"
						}
					},
					"volumeMounts": [
						{
							"name": "ca-certs",
							"readOnly": true,
							"mountPath": "/etc/ssl/certs"
						},
						{
							"name": "etc-ca-certificates",
							"readOnly": true,
							"mountPath": "/etc/ca-certificates"
						},
						{
							"name": "k8s-certs",
							"readOnly": true,
							"mountPath": "/etc/kubernetes/pki"
						},
						{
							"name": "usr-local-share-ca-certificates",
							"readOnly": true,
							"mountPath": "/usr/local/share/ca-certificates"
						},
						{
							"name": "usr-share-ca-certificates",
							"readOnly": true,
							"mountPath": "/usr/share/ca-certificates"
						}
					],
					"livenessProbe": {
						"httpGet": {
							"path": "/livez",
							"port": 6443,
							"host": "172.18.0.2",
							"scheme": "HTTPS"
						},
						"initialDelaySeconds": 10,
						"timeoutSeconds": 15,
						"periodSeconds": 10,
						"successThreshold": 1,
						"failureThreshold": 8
					},
					"readinessProbe": {
						"httpGet": {
							"path": "/readyz",
							"port": 6443,
							"host": "172.18.0.2",
							"scheme": "HTTPS"
						},
						"timeoutSeconds": 15,
						"periodSeconds": 1,
						"successThreshold": 1,
						"failureThreshold": 3
					},
					"startupProbe": {
						"httpGet": {
							"path": "/livez",
							"port": 6443,
							"host": "172.18.0.2",
							"scheme": "HTTPS"
						},
						"initialDelaySeconds": 10,
						"timeoutSeconds": 15,
						"periodSeconds": 10,
						"successThreshold": 1,
						"failureThreshold": 24
					},
					"terminationMessagePath": "/dev/termination-log",
					"terminationMessagePolicy": "File",
					"imagePullPolicy": "IfNotPresent"
				}
			],
			"restartPolicy": "Always",
			"terminationGracePeriodSeconds": 30,
			"dnsPolicy": "ClusterFirst",
			"nodeName": "kind-control-plane",
			"hostNetwork": true,
			"securityContext": {
				"seccompProfile": {
					"type": "RuntimeDefault"
				}
			},
			"schedulerName": "default-scheduler",
			"tolerations": [
				{
					"operator": "Exists",
					"effect": "NoExecute"
				}
			],
			"priorityClassName": "system-node-critical",
			"priority": 2000001000,
			"enableServiceLinks": true,
			"preemptionPolicy": "PreemptLowerPriority"
		}
	},
	{
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {
			"name": "kube-controller-manager-kind-control-plane",
			"namespace": "kube-system",
			"labels": {
				"component": "kube-controller-manager",
				"tier": "control-plane"
			},
			"annotations": {
				"kubernetes.io/config.hash": "70a0cefa46d83e7d6d0f8041eee6e22f",
				"kubernetes.io/config.mirror": "70a0cefa46d83e7d6d0f8041eee6e22f",
				"kubernetes.io/config.seen": "2025-08-09T22:55:00.200618714Z",
				"kubernetes.io/config.source": "file"
			}
		},
		"spec": {
			"volumes": [
				{
					"name": "ca-certs",
					"hostPath": {
						"path": "/etc/ssl/certs",
						"type": "DirectoryOrCreate"
					}
				},
				{
					"name": "etc-ca-certificates",
					"hostPath": {
						"path": "/etc/ca-certificates",
						"type": "DirectoryOrCreate"
					}
				},
				{
					"name": "flexvolume-dir",
					"hostPath": {
						"path": "/usr/libexec/kubernetes/kubelet-plugins/volume/exec",
						"type": "DirectoryOrCreate"
					}
				},
				{
					"name": "k8s-certs",
					"hostPath": {
						"path": "/etc/kubernetes/pki",
						"type": "DirectoryOrCreate"
					}
				},
				{
					"name": "kubeconfig",
					"hostPath": {
						"path": "/etc/kubernetes/controller-manager.conf",
						"type": "FileOrCreate"
					}
				},
				{
					"name": "usr-local-share-ca-certificates",
					"hostPath": {
						"path": "/usr/local/share/ca-certificates",
						"type": "DirectoryOrCreate"
					}
				},
				{
					"name": "usr-share-ca-certificates",
					"hostPath": {
						"path": "/usr/share/ca-certificates",
						"type": "DirectoryOrCreate"
					}
				}
			],
			"containers": [
				{
					"name": "kube-controller-manager",
					"image": "registry.k8s.io/kube-controller-manager:v1.33.1",
					"command": [
						"kube-controller-manager",
						"--allocate-node-cidrs=true",
						"--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
						"--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf",
						"--bind-address=127.0.0.1",
						"--client-ca-file=/etc/kubernetes/pki/ca.crt",
						"--cluster-cidr=10.244.0.0/16",
						"--cluster-name=kind",
						"--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt",
						"--cluster-signing-key-file=/etc/kubernetes/pki/ca.key",
						"--controllers=*,bootstrapsigner,tokencleaner",
						"--enable-hostpath-provisioner=true",
						"--kubeconfig=/etc/kubernetes/controller-manager.conf",
						"--leader-elect=true",
						"--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
						"--root-ca-file=/etc/kubernetes/pki/ca.crt",
						"--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
						"--service-cluster-ip-range=10.96.0.0/16",
						"--use-service-account-credentials=true"
					],
					"resources": {
						"requests": {
							"cpu": "200m"
						}
					},
					"volumeMounts": [
						{
							"name": "ca-certs",
							"readOnly": true,
							"mountPath": "/etc/ssl/certs"
						},
						{
							"name": "etc-ca-certificates",
							"readOnly": true,
							"mountPath": "/etc/ca-certificates"
						},
						{
							"name": "flexvolume-dir",
							"mountPath": "/usr/libexec/kubernetes/kubelet-plugins/volume/exec"
						},
						{
							"name": "k8s-certs",
							"readOnly": true,
							"mountPath": "/etc/kubernetes/pki"
						},
						{
							"name": "kubeconfig",
							"readOnly": true,
							"mountPath": "/etc/kubernetes/controller-manager.conf"
						},
						{
							"name": "usr-local-share-ca-certificates",
							"readOnly": true,
							"mountPath": "/usr/local/share/ca-certificates"
						},
						{
							"name": "usr-share-ca-certificates",
							"readOnly": true,
							"mountPath": "/usr/share/ca-certificates"
						}
					],
					"livenessProbe": {
						"httpGet": {
							"path": "/healthz",
							"port": 10257,
							"host": "127.0.0.1",
							"scheme": "HTTPS"
						},
						"initialDelaySeconds": 10,
						"timeoutSeconds": 15,
						"periodSeconds": 10,
						"successThreshold": 1,
						"failureThreshold": 8
					},
					"startupProbe": {
						"httpGet": {
							"path": "/healthz",
							"port": 10257,
							"host": "127.0.0.1",
							"scheme": "HTTPS"
						},
						"initialDelaySeconds": 10,
						"timeoutSeconds": 15,
						"periodSeconds": 10,
						"successThreshold": 1,
						"failureThreshold": 24
					},
					"terminationMessagePath": "/dev/termination-log",
					"terminationMessagePolicy": "File",
					"imagePullPolicy": "IfNotPresent"
				}
			],
			"restartPolicy": "Always",
			"terminationGracePeriodSeconds": 30,
			"dnsPolicy": "ClusterFirst",
			"nodeName": "kind-control-plane",
			"hostNetwork": true,
			"securityContext": {
				"seccompProfile": {
					"type": "RuntimeDefault"
				}
			},
			"schedulerName": "default-scheduler",
			"tolerations": [
				{
					"operator": "Exists",
					"effect": "NoExecute"
				}
			],
			"priorityClassName": "system-node-critical",
			"priority": 2000001000,
			"enableServiceLinks": true,
			"preemptionPolicy": "PreemptLowerPriority"
		}
	},
	{
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {
			"name": "kube-scheduler-kind-control-plane",
			"namespace": "kube-system",
			"labels": {
				"component": "kube-scheduler",
				"tier": "control-plane"
			},
			"annotations": {
				"kubernetes.io/config.hash": "9d527ff752ffae4ad5c0f11ad00a88b3",
				"kubernetes.io/config.mirror": "9d527ff752ffae4ad5c0f11ad00a88b3",
				"kubernetes.io/config.seen": "2025-08-09T22:55:00.200622214Z",
				"kubernetes.io/config.source": "file"
			}
		},
		"spec": {
			"volumes": [
				{
					"name": "kubeconfig",
					"hostPath": {
						"path": "/etc/kubernetes/scheduler.conf",
						"type": "FileOrCreate"
					}
				}
			],
			"containers": [
				{
					"name": "kube-scheduler",
					"image": "registry.k8s.io/kube-scheduler:v1.33.1",
					"command": [
						"kube-scheduler",
						"--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
						"--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
						"--bind-address=127.0.0.1",
						"--kubeconfig=/etc/kubernetes/scheduler.conf",
						"--leader-elect=true"
					],
					"resources": {
						"requests": {
							"cpu": "100m"
						}
					},
					"volumeMounts": [
						{
							"name": "kubeconfig",
							"readOnly": true,
							"mountPath": "/etc/kubernetes/scheduler.conf"
						}
					],
					"livenessProbe": {
						"httpGet": {
							"path": "/livez",
							"port": 10259,
							"host": "127.0.0.1",
							"scheme": "HTTPS"
						},
						"initialDelaySeconds": 10,
						"timeoutSeconds": 15,
						"periodSeconds": 10,
						"successThreshold": 1,
						"failureThreshold": 8
					},
					"readinessProbe": {
						"httpGet": {
							"path": "/readyz",
							"port": 10259,
							"host": "127.0.0.1",
							"scheme": "HTTPS"
						},
						"timeoutSeconds": 15,
						"periodSeconds": 1,
						"successThreshold": 1,
						"failureThreshold": 3
					},
					"startupProbe": {
						"httpGet": {
							"path": "/livez",
							"port": 10259,
							"host": "127.0.0.1",
							"scheme": "HTTPS"
						},
						"initialDelaySeconds": 10,
						"timeoutSeconds": 15,
						"periodSeconds": 10,
						"successThreshold": 1,
						"failureThreshold": 24
					},
					"terminationMessagePath": "/dev/termination-log",
					"terminationMessagePolicy": "File",
					"imagePullPolicy": "IfNotPresent"
				}
			],
			"restartPolicy": "Always",
			"terminationGracePeriodSeconds": 30,
			"dnsPolicy": "ClusterFirst",
			"nodeName": "kind-control-plane",
			"hostNetwork": true,
			"securityContext": {
				"seccompProfile": {
					"type": "RuntimeDefault"
				}
			},
			"schedulerName": "default-scheduler",
			"tolerations": [
				{
					"operator": "Exists",
					"effect": "NoExecute"
				}
			],
			"priorityClassName": "system-node-critical",
			"priority": 2000001000,
			"enableServiceLinks": true,
			"preemptionPolicy": "PreemptLowerPriority"
		}
	}
];
