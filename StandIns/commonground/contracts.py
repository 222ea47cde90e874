"""The official OpenAPI documents of the back-office APIs, loaded once, and the checks every message goes through.

Validation is openapi-core's (an independent implementation of the OpenAPI specification), never hand-written schemas. The
documents are read from Contracts/commonground unchanged, with two adjustments made in memory, both listed here:
- servers: the BRP document names a public test server; it is served here under its own path, /haalcentraal/api/brp.
- drf-spectacular, which wrote the ZGW and Klantinteracties documents, marks a nullable reference as
  `{allOf: [$ref], nullable: true}`. OpenAPI 3.0.3 gives `nullable` no effect without a `type`, and openapi-core keeps to
  that letter (and checks null against the reference too), so null, which the servers send and take (Open Klant's
  `wasKlantcontact` is even required), would never validate. Such a schema becomes "the reference, or null", which is
  what its authors meant.
- Zaken and Documenten refer to the Catalogi API 1.2.0 on a public host for `_expand` answers, which the stand-in never
  gives; that reference becomes a plain object schema, so nothing is fetched.
"""

import json
import os
import threading

import yaml

from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_schema_validator import OAS30Validator, OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

CONTRACTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Contracts", "commonground")

# API name: (document, path prefix it is served under)
APIS = {
    "catalogi": ("catalogi.yaml", "/catalogi/api/v1"),
    "zaken": ("zaken.yaml", "/zaken/api/v1"),
    "documenten": ("documenten.yaml", "/documenten/api/v1"),
    "klantinteracties": ("klantinteracties.yaml", "/klantinteracties/api/v1"),
    "brp": ("brp-personen.yaml", "/haalcentraal/api/brp"),
}

REMOTE_CATALOGI = "https://raw.githubusercontent.com/vng-Realisatie/catalogi-api/1.2.0/src/openapi.yaml"


def _local_refs(node):
    """Replaces the remote Catalogi references with the local document's schema, in place."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REMOTE_CATALOGI + "#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            node.pop("$ref")
            node.update({"type": "object", "description": f"Catalogi {name} (see catalogi.yaml)"})
            return
        for value in node.values():
            _local_refs(value)
    elif isinstance(node, list):
        for value in node:
            _local_refs(value)


def _nullable_references(node, spec):
    """Makes `{allOf: [$ref], nullable: true}` "the reference, or null", in place (see the module's notes)."""
    if isinstance(node, dict):
        if node.get("nullable") is True and "allOf" in node and "type" not in node:
            first = node["allOf"][0] if node["allOf"] else {}
            target = _resolve(spec, first.get("$ref", "")) if isinstance(first, dict) else None
            kind = (target or first or {}).get("type", "object")
            node["anyOf"] = [{"allOf": node.pop("allOf")}, {"type": kind, "nullable": True, "enum": [None]}]
            node.pop("nullable")
        for value in node.values():
            _nullable_references(value, spec)
    elif isinstance(node, list):
        for value in node:
            _nullable_references(value, spec)


class Contracts:
    """The five documents as openapi-core objects, keyed by API name."""

    def __init__(self):
        self.apis = {}
        self.raw = {}
        self.lock = threading.Lock()
        for name, (file, prefix) in APIS.items():
            with open(os.path.join(CONTRACTS, file), encoding="utf-8") as handle:
                spec = yaml.safe_load(handle)
            _local_refs(spec)
            if spec["openapi"].startswith("3.0"):
                _nullable_references(spec, spec)
            spec["servers"] = [{"url": prefix}]
            self.raw[name] = spec
            # Problem details are JSON too; openapi-core reads only application/json as JSON by itself.
            config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
            self.apis[name] = OpenAPI.from_dict(spec, config=config)

    @staticmethod
    def api_for(path):
        """The API a request path belongs to, or None."""
        for name, (_, prefix) in APIS.items():
            if path == prefix or path.startswith(prefix + "/"):
                return name
        return None

    def check_request(self, api, request):
        """None when the request matches the document, else one line saying why not."""
        try:
            self.apis[api].validate_request(WerkzeugOpenAPIRequest(request))
            return self._check_discriminated(api, request)
        except Exception as error:  # openapi-core raises a family of errors; each is a finding
            return _describe(error)

    def _check_discriminated(self, api, request):
        """JSON Schema ignores `discriminator`, so a body whose schema names its subtypes only there (the BRP's
        PersonenQuery) would pass unchecked; it is checked here against the subtype its discriminator names."""
        spec = self.raw[api]
        operation = self._operation(api, request)
        content = ((operation or {}).get("requestBody") or {}).get("content") or {}
        body = request.get_json(silent=True)
        for media in content.values():
            reference = (media.get("schema") or {}).get("$ref", "")
            schema = _resolve(spec, reference)
            discriminator = (schema or {}).get("discriminator") or {}
            target = discriminator.get("mapping", {}).get((body or {}).get(discriminator.get("propertyName"), None))
            if not isinstance(body, dict) or not target or target == reference:
                continue
            registry = Registry().with_resource("urn:doc", Resource.from_contents(spec, DRAFT202012))
            validator = OAS31Validator if spec["openapi"].startswith("3.1") else OAS30Validator
            errors = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator(
                {"$ref": "urn:doc" + target}, registry=registry).iter_errors(body)]
            if errors:
                return f"the body is not a {target.rsplit('/', 1)[1]}: " + "; ".join(errors)[:1500]
        return None

    def _operation(self, api, request):
        path = request.path[len(APIS[api][1]):] or "/"
        for template, item in self.raw[api]["paths"].items():
            if _matches(template, path):
                return item.get(request.method.lower())
        return None

    def check_response(self, api, request, response):
        """None when the answer matches the document, else one line saying why not."""
        try:
            self.apis[api].validate_response(WerkzeugOpenAPIRequest(request), _Response(response))
            return None
        except Exception as error:
            return _describe(error)

    def declares(self, api, request, status):
        """Whether the operation declares this status (or a default answer): Open Klant's document declares only 201
        for some operations, though the server answers 400 and 403 too."""
        operation = self._operation(api, request)
        if operation is None:
            return False
        responses = operation.get("responses", {})
        return str(status) in responses or "default" in responses


class _Response(WerkzeugOpenAPIResponse):
    """openapi-core's werkzeug adapter drops a media type's parameters, so an answer of `application/json; charset=utf-8`
    (what the BRP document declares, parameters included) would never match; this one keeps them."""

    @property
    def content_type(self):
        return str(self.response.content_type)


def _resolve(spec, reference):
    if not reference.startswith("#/"):
        return None
    node = spec
    for part in reference[2:].split("/"):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _matches(template, path):
    parts, actual = template.strip("/").split("/"), path.strip("/").split("/")
    if len(parts) != len(actual):
        return False
    return all(p == a or (p.startswith("{") and p.endswith("}")) for p, a in zip(parts, actual))


def _describe(error):
    """One line: the error and, when openapi-core gives them, the schema errors under it."""
    text = f"{type(error).__name__}: {error}"
    causes = []
    cause = error.__cause__
    while cause is not None:
        for sub in getattr(cause, "schema_errors", []) or []:
            path = "/".join(str(p) for p in getattr(sub, "absolute_path", []))
            causes.append(f"{path or '(root)'}: {sub.message}")
        if not causes:
            causes.append(f"{type(cause).__name__}: {cause}")
        cause = cause.__cause__
    line = text + (" (" + "; ".join(causes) + ")" if causes else "")
    return " ".join(line.split())[:2000]
