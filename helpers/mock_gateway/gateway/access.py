"""Gateway authentication (x-tfy-api-key) and model authorization for the data plane."""

from __future__ import annotations

from starlette.datastructures import Headers

from .. import undocumented as guess
from .errors import GatewayError
from .manifests import ModelRecord
from .registry import Principal, Registry

API_KEY_HEADER = "x-tfy-api-key"


def authenticate(registry: Registry, headers: Headers, header: str = API_KEY_HEADER) -> Principal:
    """The key's principal; 401 with TrueFoundry's body if the key is missing or unknown.

    `Authorization: Bearer ...` (the Cartesia SDK's own api_key) is ignored on the data plane.
    """
    key = headers.get(header)
    if not key:
        raise GatewayError(401, guess.MISSING_KEY_MESSAGE, origin="authentication")
    principal = registry.principal(key)
    if principal is None:
        raise GatewayError(401, guess.UNKNOWN_KEY_MESSAGE, origin="authentication")
    return principal


def not_authorized(principal: Principal, model_id: str, status: int = 403) -> GatewayError:
    """The gateway's one refusal for a model the key may not use or that does not exist [seen]."""
    return GatewayError(
        status,
        f"User {principal.subject} is not authorized to access model {model_id} "
        "or model does not exist",
        error_type="AuthorizationError",
        origin=guess.AUTHORIZATION_ORIGIN,
    )


def authenticate_openai_style(
    registry: Registry, headers: Headers, missing: str = guess.CHAT_MISSING_KEY_MESSAGE
) -> Principal:
    """On the OpenAI-compatible routes the key is `Authorization: Bearer <key>` [doc], or
    x-tfy-api-key ([guess]: that header wins when both are sent); 401 otherwise."""
    scheme, _, bearer = headers.get("authorization", "").partition(" ")
    keys = [headers.get(name, "").strip() for name in guess.CHAT_KEY_HEADERS_FIRST]
    key = next((k for k in keys if k), bearer.strip() if scheme.lower() == "bearer" else "")
    if not key:
        raise GatewayError(401, missing, origin="authentication")
    principal = registry.principal(key)
    if principal is None:
        raise GatewayError(401, guess.UNKNOWN_KEY_MESSAGE, origin="authentication")
    return principal


def split_model_id(model: str, principal: Principal) -> tuple[str, str]:
    """`account/model` as (account, model); a bare name is refused like an unknown model."""
    account, slash, name = model.partition("/")
    if not slash or not account or not name:
        raise not_authorized(principal, model, guess.CHAT_MODEL_WITHOUT_ACCOUNT_STATUS)
    return account, name


def _not_authorized(principal: Principal, account: str, model: str, status: int) -> GatewayError:
    return not_authorized(principal, f"{account}/{model}", status)


def model_name(value: object, field: str) -> str:
    """The model named in a request; the gateway needs it to authorize (400 otherwise)."""
    if not isinstance(value, str) or not value:
        raise GatewayError(
            400,
            guess.MISSING_MODEL_MESSAGE.format(field=field),
            error_type=guess.BAD_REQUEST_ERROR_TYPE,
        )
    return value


def authorize(
    registry: Registry, principal: Principal, account: str, model: str, model_type: str
) -> ModelRecord:
    """The registered model if the principal may use it on a route of `model_type`.

    Unregistered and forbidden both give one 403 message [seen]; an unknown account and a
    model of the wrong type are [guess] choices kept in undocumented.py.
    """
    if not registry.has_account(account):
        raise _not_authorized(principal, account, model, guess.UNKNOWN_ACCOUNT_STATUS)
    record = registry.model(account, model)
    if record is None or not registry.can_use(principal, account, model):
        raise _not_authorized(principal, account, model, 403)
    if model_type not in record.model_types:
        raise GatewayError(
            guess.WRONG_MODEL_TYPE_STATUS,
            guess.WRONG_MODEL_TYPE_MESSAGE.format(
                account=account,
                model=model,
                actual=", ".join(record.model_types),
                wanted=model_type,
            ),
            error_type=guess.BAD_REQUEST_ERROR_TYPE,
        )
    return record
