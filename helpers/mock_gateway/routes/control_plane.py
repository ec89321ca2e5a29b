"""The TrueFoundry control plane, as truefoundry_sdk calls it: apply, delete, list accounts."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import undocumented as guess
from ..gateway.errors import GatewayError
from ..gateway.manifests import PROVIDER_ACCOUNT_TYPES, ManifestError, manifest_kind
from ..gateway.registry import ApplyOutcome, Principal, Registry
from ..gateway.request_bodies import parse_json_object, read_body
from ..gateway.state import gateway_state

_ID_NAMESPACE = uuid.UUID("8d1f5a3e-6c1b-4f0e-9a53-7b1c2d3e4f50")


def _principal(registry: Registry, request: Request) -> Principal:
    """The caller, from `Authorization: Bearer <key>` as truefoundry_sdk sends it."""
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise GatewayError(
            401, guess.CONTROL_PLANE_MISSING_KEY_MESSAGE, origin="authentication",
        )  # fmt: skip
    principal = registry.principal(key.strip())
    if principal is None:
        raise GatewayError(401, guess.UNKNOWN_KEY_MESSAGE, origin="authentication")
    return principal


def _subject(principal: Principal) -> dict[str, str]:
    kind, _, name = principal.subject.partition(":")
    return {"subjectId": name, "subjectType": kind, "subjectSlug": name}


def _record_data(
    manifest: dict[str, Any], created: str, updated: str, principal: Principal | None = None
) -> dict[str, Any]:
    """The applied resource, shaped like truefoundry_sdk's ProviderAccount."""
    name = str(manifest.get("name", manifest.get("type")))
    data: dict[str, Any] = {
        "id": str(uuid.uuid5(_ID_NAMESPACE, name)),
        "manifest": manifest,
        "accountId": guess.TENANT_NAME,
        "createdAt": created,
        "updatedAt": updated,
    }
    if principal is not None:
        data["createdBySubject"] = _subject(principal)
        data["createdBy"] = principal.subject
    if manifest.get("type") in PROVIDER_ACCOUNT_TYPES:
        provider = str(manifest["type"]).removeprefix("provider-account/")
        data["fqn"] = guess.PROVIDER_ACCOUNT_FQN.format(
            tenant=guess.TENANT_NAME, provider=provider, name=name
        )
        data["provider"] = provider
    return data


def _manifest(body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    manifest = body.get("manifest")
    if not isinstance(manifest, dict):
        raise GatewayError(
            guess.MANIFEST_BODY_STATUS,
            guess.MANIFEST_BODY_MESSAGE,
            error_type=guess.BAD_REQUEST_ERROR_TYPE,
        )
    try:
        return manifest, manifest_kind(manifest)
    except ManifestError as exc:
        raise _rule_error(exc) from None


def _rule_error(exc: ManifestError) -> GatewayError:
    return GatewayError(
        guess.MANIFEST_RULE_STATUS,
        guess.MANIFEST_RULE_MESSAGE.format(detail=exc),
        error_type=guess.MANIFEST_RULE_ERROR_TYPE,
    )


def _check_may_manage(registry: Registry, principal: Principal, manifest: dict, kind: str) -> None:
    name = manifest.get("name") if kind in PROVIDER_ACCOUNT_TYPES else None
    allowed = (
        registry.can_manage(principal, name) if isinstance(name, str) else principal.tenant_admin
    )
    if not allowed:
        what = f"provider account '{name}'" if isinstance(name, str) else f"a {kind} manifest"
        raise GatewayError(
            403,
            guess.NOT_ALLOWED_TO_MANAGE_MESSAGE.format(subject=principal.subject, what=what),
            error_type="AuthorizationError",
            origin=guess.AUTHORIZATION_ORIGIN,
        )


async def apply(request: Request) -> Response:
    """PUT /api/svc/v1/apply {manifest, dryRun}: CREATE or UPDATE; a dry run changes nothing."""
    registry = gateway_state(request).registry
    principal = _principal(registry, request)
    body = parse_json_object(await read_body(request, guess.MAX_JSON_BODY_BYTES))
    manifest, kind = _manifest(body)
    dry_run = body.get("dryRun", False)
    if not isinstance(dry_run, bool):
        raise GatewayError(
            guess.MANIFEST_BODY_STATUS, guess.DRY_RUN_MESSAGE,
            error_type=guess.BAD_REQUEST_ERROR_TYPE,
        )  # fmt: skip
    _check_may_manage(registry, principal, manifest, kind)
    try:
        outcome: ApplyOutcome = registry.apply(manifest, dry_run=dry_run)
    except ManifestError as exc:
        raise _rule_error(exc) from None
    data = _record_data(outcome.manifest, outcome.created_at, outcome.updated_at, principal)
    return JSONResponse(
        {"existingManifest": outcome.existing, "action": outcome.action, "data": data}
    )


async def delete(request: Request) -> Response:
    """POST /api/svc/v1/delete {manifest}: remove it (404 if it does not exist)."""
    registry = gateway_state(request).registry
    principal = _principal(registry, request)
    body = parse_json_object(await read_body(request, guess.MAX_JSON_BODY_BYTES))
    manifest, kind = _manifest(body)
    _check_may_manage(registry, principal, manifest, kind)
    if not registry.delete(manifest):
        raise GatewayError(
            guess.MANIFEST_NOT_FOUND_STATUS,
            guess.NOTHING_TO_DELETE_MESSAGE.format(kind=kind, name=manifest.get("name", kind)),
            error_type=guess.NOT_FOUND_ERROR_TYPE,
        )
    return JSONResponse({})


async def list_provider_accounts(request: Request) -> Response:
    """GET /api/svc/v1/provider-accounts: the accounts the caller collaborates on."""
    registry = gateway_state(request).registry
    principal = _principal(registry, request)
    accounts = [
        _record_data(record.manifest, created, updated)
        for record, (created, updated) in registry.visible_accounts(principal)
    ]
    return JSONResponse({guess.PROVIDER_ACCOUNTS_LIST_KEY: accounts})


ROUTES = [
    Route("/api/svc/v1/apply", apply, methods=["PUT"]),
    Route("/api/svc/v1/delete", delete, methods=["POST"]),
    Route("/api/svc/v1/provider-accounts", list_provider_accounts, methods=["GET"]),
]
