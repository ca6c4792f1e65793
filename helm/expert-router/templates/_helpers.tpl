{{/* Name of the chart, overridable. */}}
{{- define "expert-router.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: release-chart, unless the release already carries the chart's name. */}}
{{- define "expert-router.fullname" -}}
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

{{- define "expert-router.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "expert-router.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "expert-router.selectorLabels" -}}
app.kubernetes.io/name: {{ include "expert-router.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The ConfigMap holding experts.yaml, policies.yaml and tenants.yaml. */}}
{{- define "expert-router.configMapName" -}}
{{- if .Values.config.existingConfigMap }}
{{- .Values.config.existingConfigMap }}
{{- else }}
{{- printf "%s-config" (include "expert-router.fullname" .) }}
{{- end }}
{{- end }}

{{/*
Refuses to render without a tenant key source, and refuses the chart's own tenants.yaml (whose only
key is the public demo key) unless the operator opted into the demo: a cluster must never serve
sk-router-demo by accident, whatever key Secret sits beside it.
*/}}
{{- define "expert-router.requireTenantKeys" -}}
{{- $t := .Values.tenants }}
{{- if not (or $t.keysSecret $t.digestsInConfig $t.allowDemoKey) }}
{{- fail "expert-router: no tenant key source. Set tenants.keysSecret to an existing Secret holding the env vars your tenants' api-key-env name, or set tenants.digestsInConfig=true to acknowledge that your tenants.yaml (config.existingConfigMap) holds the tenants' api-key-sha256 digests. The chart's own tenants.yaml holds only the public demo key (tenants.allowDemoKey=true serves it, for a trial)." }}
{{- end }}
{{- if and (not .Values.config.existingConfigMap) (not $t.allowDemoKey) }}
{{- fail "expert-router: the chart's own tenants.yaml would serve the public demo key (sk-router-demo), whatever tenants.keysSecret holds. Provide your tenants in config.existingConfigMap, or set tenants.allowDemoKey=true to serve the demo tenant on purpose (a trial)." }}
{{- end }}
{{- end }}

{{/* The Redis URL the gateway uses, or empty when none is configured. */}}
{{- define "expert-router.redisUrl" -}}
{{- if .Values.redis.enabled }}
{{- printf "redis://%s-redis:6379" (include "expert-router.fullname" .) }}
{{- else }}
{{- .Values.redis.url }}
{{- end }}
{{- end }}

{{/* The bundled Redis has a name of its own, so the gateway's selector never matches its pod. */}}
{{- define "expert-router.redisSelectorLabels" -}}
app.kubernetes.io/name: {{ include "expert-router.name" . }}-redis
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: redis
{{- end }}
