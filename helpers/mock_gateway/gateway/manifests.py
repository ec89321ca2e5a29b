"""Validate TrueFoundry manifests the mock understands and turn them into registry records.

Rules follow truefoundry_sdk's CartesiaProviderAccount / CartesiaModel / OpenaiProviderAccount /
OpenAiModel / RateLimitConfig types and the gateway docs (audio models need name == model_id).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

PROVIDER_ACCOUNT_TYPE = "provider-account/cartesia"
MODEL_INTEGRATION_TYPE = "integration/model/cartesia"
OPENAI_ACCOUNT_TYPE = "provider-account/openai"  # the mock's chat model lives in one of these
OPENAI_MODEL_TYPES = ("chat",)  # the only OpenAI model type the mock serves
PROVIDER_ACCOUNT_TYPES = (PROVIDER_ACCOUNT_TYPE, OPENAI_ACCOUNT_TYPE)
RATE_LIMIT_TYPE = "gateway-rate-limiting-config"
CARTESIA_VERSIONS = ("2025-04-16", "2024-11-13", "2024-06-10")
TTS_MODEL_TYPE = "text_to_speech"
STT_MODEL_TYPE = "audio_transcription"
MODEL_TYPES = (TTS_MODEL_TYPE, STT_MODEL_TYPE)
ROLES = ("provider-account-manager", "provider-account-access")
RATE_LIMIT_UNITS = {
    "requests_per_minute": 60.0,
    "requests_per_hour": 3600.0,
    "requests_per_day": 86400.0,
}
SUBJECT_PATTERN = re.compile(r"^(user|team|virtualaccount):[^\s:]+$")
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,61}$")


class ManifestError(ValueError):
    """A manifest that breaks a rule; the message names the field and the fix."""


@dataclass(frozen=True)
class ModelRecord:
    """One Cartesia model integration of a provider account."""

    account: str
    name: str
    model_id: str
    model_types: tuple[str, ...]
    authorized_subjects: tuple[str, ...] | None


@dataclass(frozen=True)
class AccountRecord:
    """A `provider-account/cartesia` manifest, validated."""

    name: str
    manifest: dict[str, Any]
    collaborators: tuple[tuple[str, str], ...]
    models: dict[str, ModelRecord]


@dataclass(frozen=True)
class RateLimitRule:
    """One rule of a `gateway-rate-limiting-config` manifest (request units only)."""

    id: str
    subjects: tuple[str, ...] | None
    models: tuple[str, ...] | None
    metadata: tuple[tuple[str, str], ...] | None
    limit_to: int
    unit: str
    applies_per: tuple[str, ...]

    @property
    def window_seconds(self) -> float:
        return RATE_LIMIT_UNITS[self.unit]


def _require(mapping: dict[str, Any], key: str, where: str) -> Any:
    if key not in mapping or mapping[key] is None:
        raise ManifestError(f"{where}.{key} is required")
    return mapping[key]


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ManifestError(f"{where} must be a non-empty string")
    return value


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ManifestError(f"{where} must be a list of non-empty strings")
    return tuple(value)


def _subject(value: Any, where: str) -> str:
    subject = _string(value, where)
    if not SUBJECT_PATTERN.match(subject):
        raise ManifestError(
            f"{where} '{subject}' must look like user:<email>, team:<name> or virtualaccount:<name>"
        )
    return subject


def _model(raw: Any, account: str, index: int, provider: str = "cartesia") -> ModelRecord:
    where = f"integrations[{index}]"
    if not isinstance(raw, dict):
        raise ManifestError(f"{where} must be an object")
    integration = f"integration/model/{provider}"
    allowed = MODEL_TYPES if provider == "cartesia" else OPENAI_MODEL_TYPES
    kind = raw.get("type", integration)
    if kind != integration:
        raise ManifestError(f"{where}.type must be '{integration}', got {kind!r}")
    name = _string(_require(raw, "name", where), f"{where}.name")
    model_id = _string(_require(raw, "model_id", where), f"{where}.model_id")
    types = _string_list(_require(raw, "model_types", where), f"{where}.model_types")
    if not types:
        raise ManifestError(f"{where}.model_types must name at least one type")
    for model_type in types:
        if model_type not in allowed:
            raise ManifestError(
                f"{where}.model_types: '{model_type}' is not one of {', '.join(allowed)}"
            )
    if provider == "cartesia" and name != model_id:
        raise ManifestError(
            f"{where}: for audio models name must equal model_id "
            f"(got name '{name}', model_id '{model_id}'); set name: {model_id}"
        )
    subjects = raw.get("authorized_subjects")
    authorized = None
    if subjects is not None:
        authorized = tuple(
            _subject(s, f"{where}.authorized_subjects[{i}]")
            for i, s in enumerate(_string_list(subjects, f"{where}.authorized_subjects"))
        )
    return ModelRecord(account, name, model_id, types, authorized)


def _auth_data(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest, its auth_data checked (and `apiKey` stored as `api_key`)."""
    auth = _require(manifest, "auth_data", "manifest")
    if not isinstance(auth, dict) or auth.get("type", "api-key") != "api-key":
        raise ManifestError("manifest.auth_data must be {type: api-key, api_key: <key>}")
    if "apiKey" in auth and "api_key" not in auth:
        # truefoundry_sdk 0.6.0 writes a dict manifest's auth_data.api_key as `apiKey`, yet
        # reads back only `api_key` [sdk]: store the field under the name it reads.
        auth = {("api_key" if k == "apiKey" else k): v for k, v in auth.items()}
        manifest = {**manifest, "auth_data": auth}
    _string(_require(auth, "api_key", "manifest.auth_data"), "manifest.auth_data.api_key")
    return manifest


def _models(manifest: dict[str, Any], account: str, provider: str) -> dict[str, ModelRecord]:
    raw_models = _require(manifest, "integrations", "manifest")
    if not isinstance(raw_models, list):
        raise ManifestError("manifest.integrations must be a list")
    models: dict[str, ModelRecord] = {}
    for index, raw in enumerate(raw_models):
        model = _model(raw, account, index, provider)
        if model.name in models:
            raise ManifestError(f"integrations[{index}].name '{model.name}' is used twice")
        models[model.name] = model
    return models


def _collaborators(manifest: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    raw_collaborators = manifest.get("collaborators") or []
    if not isinstance(raw_collaborators, list):
        raise ManifestError("manifest.collaborators must be a list")
    collaborators = []
    for index, raw in enumerate(raw_collaborators):
        where = f"collaborators[{index}]"
        if not isinstance(raw, dict):
            raise ManifestError(f"{where} must be an object with subject and role_id")
        subject = _subject(_require(raw, "subject", where), f"{where}.subject")
        role = _require(raw, "role_id", where)
        if role not in ROLES:
            raise ManifestError(f"{where}.role_id {role!r} is not one of {', '.join(ROLES)}")
        collaborators.append((subject, role))
    return tuple(collaborators)


def parse_provider_account(manifest: dict[str, Any]) -> AccountRecord:
    """Validate a provider-account/cartesia (or provider-account/openai) manifest."""
    name = _string(_require(manifest, "name", "manifest"), "manifest.name")
    if not NAME_PATTERN.match(name):
        raise ManifestError(
            f"manifest.name '{name}' must be lowercase letters, digits, '.', '_' or '-'"
        )
    provider = manifest.get("type", PROVIDER_ACCOUNT_TYPE).removeprefix("provider-account/")
    version = _require(manifest, "cartesia_version", "manifest") if provider == "cartesia" else None
    if provider == "cartesia" and version not in CARTESIA_VERSIONS:
        raise ManifestError(
            f"manifest.cartesia_version {version!r} is not one of {', '.join(CARTESIA_VERSIONS)}"
        )
    manifest = _auth_data(manifest)
    models = _models(manifest, name, provider)
    return AccountRecord(name, manifest, _collaborators(manifest), models)


def _rule(raw: Any, where: str) -> RateLimitRule:
    if not isinstance(raw, dict):
        raise ManifestError(f"{where} must be an object")
    rule_id = _string(_require(raw, "id", where), f"{where}.id")
    limit = _require(raw, "limit_to", where)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ManifestError(f"{where}.limit_to must be a non-negative integer")
    unit = _require(raw, "unit", where)
    if unit not in RATE_LIMIT_UNITS:
        raise ManifestError(
            f"{where}.unit {unit!r}: the mock supports {', '.join(RATE_LIMIT_UNITS)}"
        )
    when = raw.get("when") or {}
    if not isinstance(when, dict):
        raise ManifestError(f"{where}.when must be an object")
    subjects, models, metadata = when.get("subjects"), when.get("models"), when.get("metadata")
    if metadata is not None and not (
        isinstance(metadata, dict) and all(isinstance(v, str) for v in metadata.values())
    ):
        raise ManifestError(f"{where}.when.metadata must map keys to string values")
    per = raw.get("rate_limit_applies_per") or []
    return RateLimitRule(
        id=rule_id,
        subjects=None if subjects is None else _string_list(subjects, f"{where}.when.subjects"),
        models=None if models is None else _string_list(models, f"{where}.when.models"),
        metadata=None if metadata is None else tuple(sorted(metadata.items())),
        limit_to=limit,
        unit=unit,
        applies_per=_string_list(per, f"{where}.rate_limit_applies_per") if per else (),
    )


def parse_rate_limits(manifest: dict[str, Any]) -> tuple[RateLimitRule, ...]:
    """Validate a gateway-rate-limiting-config manifest (request-count units only)."""
    rules = _require(manifest, "rules", "manifest")
    if not isinstance(rules, list):
        raise ManifestError("manifest.rules must be a list")
    return tuple(_rule(raw, f"rules[{index}]") for index, raw in enumerate(rules))


def manifest_kind(manifest: Any) -> str:
    """The manifest's type, checked to be one the mock understands."""
    if not isinstance(manifest, dict):
        raise ManifestError("manifest must be an object")
    kind = manifest.get("type")
    if kind not in (*PROVIDER_ACCOUNT_TYPES, RATE_LIMIT_TYPE):
        raise ManifestError(
            f"manifest.type {kind!r}: the mock understands "
            f"{', '.join(PROVIDER_ACCOUNT_TYPES)} and {RATE_LIMIT_TYPE}"
        )
    return kind
