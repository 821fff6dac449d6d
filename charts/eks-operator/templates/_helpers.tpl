{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "eks-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, unless it already contains the chart name. */}}
{{- define "eks-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "eks-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "eks-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "eks-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "eks-operator.labels" -}}
helm.sh/chart: {{ include "eks-operator.chart" . }}
{{ include "eks-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "eks-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "eks-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Least-privilege rules of the reconcilers; config/rbac/role.yaml holds the same rules, and an integration test
compares them with every request the operator makes through a whole lifecycle.
- the three kinds: list and watch (informers), patch (finalizers, ownerReferences); delete of ManagedNodeGroups
  and FargateProfiles because deleting an EksCluster deletes its children explicitly;
- status: patch (one merge patch per pass); finalizers: update (OwnerReferencesPermissionEnforcement);
- Secrets for the kubeconfig and Argo CD cluster outputs (patch rewrites Token-mode kubeconfigs);
- core/v1 Events (what kubectl describe reads; repeats are patched).
*/}}
{{- define "eks-operator.rules" -}}
- apiGroups: ["eks.operator.dev"]
  resources: ["accessentries", "addons", "capabilities", "eksclusters", "fargateprofiles", "managednodegroups", "podidentityassociations"]
  verbs: ["list", "watch", "patch"]
- apiGroups: ["eks.operator.dev"]
  resources: ["accessentries", "addons", "capabilities", "fargateprofiles", "managednodegroups", "podidentityassociations"]
  verbs: ["delete"]
- apiGroups: ["eks.operator.dev"]
  resources: ["accessentries/status", "addons/status", "capabilities/status", "eksclusters/status", "fargateprofiles/status", "managednodegroups/status", "podidentityassociations/status"]
  verbs: ["patch"]
- apiGroups: ["eks.operator.dev"]
  resources: ["accessentries/finalizers", "addons/finalizers", "capabilities/finalizers", "eksclusters/finalizers", "fargateprofiles/finalizers", "managednodegroups/finalizers", "podidentityassociations/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/* The leader-election Lease: the C# LeaderElector only gets, creates and updates it. */}}
{{- define "eks-operator.leaderElectionRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update"]
{{- end }}

{{/*
The Deployments to render, one entry per shard: "" is the default shard (objects without the eks.operator.dev/shard
label). No shards: the default shard alone, as without sharding. With shards: each of them, plus the default shard
unless defaultShard is false. A JSON list, for fromJsonArray.
*/}}
{{- define "eks-operator.shards" -}}
{{- $entries := list -}}
{{- if or (empty .Values.shards) .Values.defaultShard -}}
{{- $entries = append $entries "" -}}
{{- end -}}
{{- range .Values.shards -}}
{{- $entries = append $entries . -}}
{{- end -}}
{{- toJson $entries -}}
{{- end }}

{{/* The Deployment (and PodDisruptionBudget) name of a shard; called with (dict "root" $ "shard" "a"). */}}
{{- define "eks-operator.shardFullname" -}}
{{- if .shard }}
{{- printf "%s-%s" (include "eks-operator.fullname" .root) .shard | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- include "eks-operator.fullname" .root }}
{{- end }}
{{- end }}

{{/* The selector labels of a shard's pods: the chart's, plus eks.operator.dev/shard for a named shard. */}}
{{- define "eks-operator.shardSelectorLabels" -}}
{{ include "eks-operator.selectorLabels" .root }}
{{- if .shard }}
eks.operator.dev/shard: {{ .shard | quote }}
{{- end }}
{{- end }}
