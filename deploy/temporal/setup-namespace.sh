#!/bin/sh
# Registers the namespace and the uk-chargers run search attributes (see
# src/visibility/runMemo.ts) once the server answers. Idempotent.
set -eu
namespace=${TEMPORAL_NAMESPACE:-default}
until temporal operator cluster health >/dev/null 2>&1; do sleep 2; done
temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$namespace" --retention 30d
registered=$(temporal operator search-attribute list --namespace "$namespace")
for attribute in UkChargersSource:Keyword UkChargersRows:Int UkChargersOutcome:Keyword; do
  name=${attribute%%:*}
  echo "$registered" | grep -qw "$name" ||
    temporal operator search-attribute create --namespace "$namespace" --name "$name" --type "${attribute#*:}"
done
