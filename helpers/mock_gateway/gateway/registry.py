"""Provider accounts, models, API keys and the access rules of the gateway (thread-safe)."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .. import undocumented as guess
from .manifests import (
    PROVIDER_ACCOUNT_TYPES,
    AccountRecord,
    ManifestError,
    ModelRecord,
    RateLimitRule,
    manifest_kind,
    parse_provider_account,
    parse_rate_limits,
)


@dataclass(frozen=True)
class Principal:
    """Who an API key belongs to."""

    subject: str
    teams: frozenset[str] = frozenset()
    tenant_admin: bool = False

    def matches(self, subject: str) -> bool:
        """True if a collaborator/authorized subject covers this principal.

        `team:everyone` covers every user but not virtual accounts [doc].
        """
        if subject == self.subject:
            return True
        if subject.startswith("team:") and self.subject.startswith("user:"):
            team = subject.removeprefix("team:")
            return team == "everyone" or team in self.teams
        return False


@dataclass(frozen=True)
class ApplyOutcome:
    """What an apply did (or would do, on a dry run)."""

    action: str
    existing: dict[str, Any] | None
    manifest: dict[str, Any]
    created_at: str
    updated_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _parse_keys(raw: Any) -> dict[str, Principal]:
    if not isinstance(raw, list):
        raise ManifestError("keys must be a list of {key, subject[, teams][, tenant_admin]}")
    keys: dict[str, Principal] = {}
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            raise ManifestError(f"keys[{index}] needs a string 'key'")
        subject = entry.get("subject")
        if not isinstance(subject, str) or ":" not in subject:
            raise ManifestError(f"keys[{index}].subject must look like user:<email>")
        teams = entry.get("teams") or []
        keys[entry["key"]] = Principal(
            subject, frozenset(str(t) for t in teams), bool(entry.get("tenant_admin", False))
        )
    return keys


class Registry:
    """The gateway's state: accounts, keys and rate-limit rules, guarded by one lock."""

    def __init__(
        self,
        manifests: list[dict[str, Any]] | None = None,
        keys: dict[str, Principal] | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._accounts: dict[str, AccountRecord] = {}
        self._stamps: dict[str, tuple[str, str]] = {}
        self._rate_limits: tuple[RateLimitRule, ...] = ()
        self._rate_limit_manifest: dict[str, Any] | None = None
        self._keys = dict(keys or {})
        for manifest in manifests or []:
            self.apply(manifest)

    # --- loading ---

    @classmethod
    def from_yaml_text(cls, text: str) -> Registry:
        """Build a registry from YAML: {manifests: [...], keys: [...]}."""
        data = yaml.safe_load(text)
        if not isinstance(data, dict):
            raise ManifestError("registry YAML must be a mapping with 'manifests' and 'keys'")
        manifests = data.get("manifests") or []
        if not isinstance(manifests, list):
            raise ManifestError("manifests must be a list of TrueFoundry manifests")
        return cls(manifests, _parse_keys(data.get("keys") or []))

    @classmethod
    def from_file(cls, path: str | Path) -> Registry:
        return cls.from_yaml_text(Path(path).read_text(encoding="utf-8"))

    @classmethod
    def default(cls) -> Registry:
        """The built-in registry, default_registry.yaml: account cartesia-main, three mock keys."""
        text = resources.files(__package__).joinpath("default_registry.yaml").read_text("utf-8")
        return cls.from_yaml_text(text)

    # --- keys and access ---

    def principal(self, key: str | None) -> Principal | None:
        with self._lock:
            return self._keys.get(key) if key else None

    def has_account(self, account: str) -> bool:
        with self._lock:
            return account in self._accounts

    def model(self, account: str, name: str) -> ModelRecord | None:
        with self._lock:
            record = self._accounts.get(account)
            return record.models.get(name) if record else None

    def can_use(self, principal: Principal, account: str, name: str) -> bool:
        """Tenant admins use everything; others need a use role or an authorized subject."""
        with self._lock:
            record = self._accounts.get(account)
            model = record.models.get(name) if record else None
            if record is None or model is None:
                return False
            if principal.tenant_admin:
                return True
            if model.authorized_subjects is not None and any(
                principal.matches(s) for s in model.authorized_subjects
            ):
                return True
            return any(
                role in guess.USE_ROLES and principal.matches(subject)
                for subject, role in record.collaborators
            )

    def can_manage(self, principal: Principal, account: str) -> bool:
        with self._lock:
            if principal.tenant_admin:
                return True
            record = self._accounts.get(account)
            if record is None:
                return not guess.CREATE_NEEDS_TENANT_ADMIN
            return any(
                role in guess.MANAGE_ROLES and principal.matches(subject)
                for subject, role in record.collaborators
            )

    def usable_models(self, principal: Principal) -> list[ModelRecord]:
        with self._lock:
            return [
                model
                for record in self._accounts.values()
                for model in record.models.values()
                if self.can_use(principal, record.name, model.name)
            ]

    def visible_accounts(self, principal: Principal) -> list[tuple[AccountRecord, tuple[str, str]]]:
        """Accounts the principal may use or manage, with their (created, updated) stamps."""
        with self._lock:
            return [
                (record, self._stamps[record.name])
                for record in self._accounts.values()
                if principal.tenant_admin
                or any(principal.matches(subject) for subject, _ in record.collaborators)
            ]

    def rate_limits(self) -> tuple[RateLimitRule, ...]:
        with self._lock:
            return self._rate_limits

    # --- control plane ---

    def apply(self, manifest: dict[str, Any], *, dry_run: bool = False) -> ApplyOutcome:
        """Create or update from a manifest; a dry run validates and changes nothing."""
        kind = manifest_kind(manifest)
        manifest = copy.deepcopy(manifest)
        with self._lock:
            now = _now()
            if kind in PROVIDER_ACCOUNT_TYPES:
                record = parse_provider_account(manifest)
                manifest = record.manifest
                previous = self._accounts.get(record.name)
                created = self._stamps.get(record.name, (now, now))[0]
                if not dry_run:
                    self._accounts[record.name] = record
                    self._stamps[record.name] = (created, now)
                existing = previous.manifest if previous else None
            else:
                rules = parse_rate_limits(manifest)
                existing = self._rate_limit_manifest
                created = now
                if not dry_run:
                    self._rate_limits = rules
                    self._rate_limit_manifest = manifest
            return ApplyOutcome(
                "UPDATE" if existing is not None else "CREATE",
                copy.deepcopy(existing),
                manifest,
                created,
                now,
            )

    def delete(self, manifest: dict[str, Any]) -> bool:
        """Remove what the manifest names; False if it did not exist."""
        kind = manifest_kind(manifest)
        with self._lock:
            if kind in PROVIDER_ACCOUNT_TYPES:
                name = manifest.get("name")
                if not isinstance(name, str) or name not in self._accounts:
                    return False
                del self._accounts[name]
                del self._stamps[name]
                return True
            if self._rate_limit_manifest is None:
                return False
            self._rate_limits = ()
            self._rate_limit_manifest = None
            return True
