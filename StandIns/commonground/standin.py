"""A strict stand-in for a municipality's back office: Catalogi, Zaken and Documenten (as Open Zaak 1.21 serves them),
Klantinteracties (as Open Klant 2.7 serves it) and Haal Centraal BRP Bevragen 2, on one HTTP port.

Every request it receives and every answer it gives is checked against the official OpenAPI document by openapi-core.
A request that does not validate is answered 400 (as the real server would) and kept as a violation; so is an answer of
its own that does not validate. `GET /_standin/violations` lists them, and the tests fail on any.

Admin (no authentication, loopback only):
  GET  /_standin/state        every object kept
  GET  /_standin/violations   requests and answers that did not match the documents
  GET  /_standin/requests     method, path, status and answer time (millis, from the request read to the answer
                               made) of every request, in order. With `after=N&wait=SECONDS`: those after the first N,
                               once there is one (`atLeast=K`: K of them); a change feed that tests and the benchmark
                               wait on, never on a clock.
                               X-Standin-Requests says how many there are in all.
  GET  /_standin/state        also says, in X-Standin-Requests, how many requests it had answered before it was read
  PUT  /_standin/inject       [{"method", "path" (regex), "status", "times", "delayMillis", "after", "garbage",
                               "mismatch", "drop", "invalidParams"}]: what the real servers do when things go wrong.
                               A rule with only a delay answers as usual, late; `after` does the work and then
                               answers `status` (or drops), as when an answer is lost.
With --tls-cert, --tls-key and --client-ca it serves https and takes only connections with a client certificate that CA
signed (mutual TLS, as the BRP's gateway can ask instead of an API key); the admin is behind it too.
Prints "commonground-standin listening on http://HOST:PORT" (https with TLS) once it accepts connections.
"""

import argparse
import base64
import hashlib
import hmac
import json
import logging
import os
import re
import ssl
import sys
import threading
import time

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backoffice import BackOffice, Refusal  # noqa: E402
from contracts import Contracts  # noqa: E402

JSON = "application/json"
PROBLEM = "application/problem+json"
BRP_JSON = "application/json; charset=utf-8"


class Injection:
    """One rule of what to do instead of (or after) the real work, for matching requests, `times` times."""

    def __init__(self, spec):
        self.method = spec.get("method", "").upper()
        self.path = re.compile(spec.get("path", ".*"))
        self.status = int(spec.get("status", 500))
        self.times = int(spec.get("times", 1))
        self.delay = int(spec.get("delayMillis", 0)) / 1000
        self.after = bool(spec.get("after", False))  # do the work, then answer `status` (a lost answer)
        self.garbage = bool(spec.get("garbage", False))  # 200/201 with a body that is not JSON
        self.mismatch = bool(spec.get("mismatch", False))  # valid JSON that does not match the document
        self.drop = bool(spec.get("drop", False))  # close the connection without an answer
        self.invalid = spec.get("invalidParams")  # a 400's invalidParams, e.g. identificatie-niet-uniek
        # A rule that only delays lets the request through, answered as usual.
        self.passthrough = not ({"status", "garbage", "mismatch", "drop"} & set(spec))

    def matches(self, request):
        return (not self.method or self.method == request.method) and self.path.search(request.path)


class StandIn:
    def __init__(self, args):
        self.contracts = Contracts()
        with open(args.seed, encoding="utf-8") as handle:
            self.office = BackOffice(json.load(handle))
        self.zgw_secrets = _secrets(args.zgw_client_file)
        self.klant_token = _read(args.klant_token_file) if args.klant_token_file else None
        self.brp_key = _read(args.brp_key_file) if args.brp_key_file else None
        self.lock = threading.Lock()
        self.recorded = threading.Condition(self.lock)
        self.injections = []
        self.violations = []
        self.requests = []

    # MARK: - WSGI

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        request = Request(environ)
        if request.path.startswith("/_standin/"):
            return self.admin(request)(environ, start_response)
        api = Contracts.api_for(request.path)
        if api is None:
            return _problem(404, "not_found", "Geen API op dit pad.")(environ, start_response)
        injection = self._injection(request)
        if injection and injection.delay:
            time.sleep(injection.delay)
        if injection and injection.drop and not injection.after:
            self._record(request, "dropped", started)
            raise ConnectionAbortedError("injected: drop")
        response = self.serve(api, request, injection)
        self._record(request, "dropped" if injection and injection.drop else response.status_code, started)
        if injection and injection.drop:
            raise ConnectionAbortedError("injected: drop after the work")
        return response(environ, start_response)

    def serve(self, api, request, injection):
        if injection and injection.passthrough:
            injection = None
        if injection and not injection.after:
            return self._injected(injection)
        refusal = self._authenticate(api, request)
        if refusal:
            return self._checked(api, request, refusal)
        finding = self.contracts.check_request(api, request)
        if finding:
            self._violation("request", request, finding)
            # The BRP's document allows only a short plain reason; the ZGW APIs take any text.
            reason = re.sub(r"[^a-zA-Z0-9., ]", " ", finding)[:80].strip() if api == "brp" else finding[:500]
            return self._checked(api, request, _problem(400, "invalid", "Invalid input.", [
                {"name": "nonFieldErrors", "code": "invalid", "reason": reason}]))
        try:
            response = self.route(api, request)
        except Refusal as refused:
            response = _problem(refused.status, refused.code, refused.title, refused.invalid)
        if injection:
            return self._injected(injection)
        return self._checked(api, request, response)

    def _checked(self, api, request, response):
        """Validates an answer of our own; one the operation does not declare (Open Klant's document declares no
        error answers for some operations) is not checked."""
        if self.contracts.declares(api, request, response.status_code):
            finding = self.contracts.check_response(api, request, response)
            if finding:
                self._violation("response", request, finding)
        return response

    def _injected(self, injection):
        if injection.garbage:
            return Response("<html>502 Bad Gateway</html>", status=200, content_type=JSON)
        if injection.mismatch:
            return Response(json.dumps({"unexpected": True}), status=200, content_type=JSON)
        if injection.status == 400:
            return _problem(400, "invalid", "Invalid input.", injection.invalid or [
                {"name": "nonFieldErrors", "code": "invalid", "reason": "Ingespoten fout."}])
        return _problem(injection.status, {403: "permission_denied"}.get(injection.status, "error"),
                        "Ingespoten fout.")

    def _record(self, request, status, started):
        millis = round((time.perf_counter() - started) * 1000, 3)
        with self.lock:
            self.requests.append({"method": request.method, "path": request.path, "status": status, "millis": millis})
            self.recorded.notify_all()

    def _injection(self, request):
        with self.lock:
            for rule in self.injections:
                if rule.times > 0 and rule.matches(request):
                    rule.times -= 1
                    return rule
        return None

    def _violation(self, kind, request, finding):
        line = f"{kind} {request.method} {request.path}: {finding}"
        print(f"commonground-standin: {line}", file=sys.stderr, flush=True)
        with self.lock:
            self.violations.append(line)

    # MARK: - Authentication, as each server wants it

    def _authenticate(self, api, request):
        header = request.headers.get("Authorization", "")
        if api in ("catalogi", "zaken", "documenten"):
            return None if self._valid_jwt(header) else _problem(
                403, "permission_denied", "Je hebt geen toestemming om deze actie uit te voeren.")
        if api == "klantinteracties":
            ok = self.klant_token is not None and hmac.compare_digest(header, f"Token {self.klant_token}")
            return None if ok else _problem(403, "permission_denied", "Ongeldig token.")
        if self.brp_key is not None and not hmac.compare_digest(request.headers.get("X-API-KEY", ""), self.brp_key):
            return _problem(401, "authentication", "Niet geauthenticeerd.", content_type=PROBLEM)
        return None

    def _valid_jwt(self, header):
        """An HS256 JWT signed with the client's secret, with Open Zaak's claims, and less than an hour old."""
        if not header.startswith("Bearer "):
            return False
        try:
            head, body, signature = header[7:].split(".")
            claims = json.loads(_unb64(body))
            if json.loads(_unb64(head)).get("alg") != "HS256":
                return False
            secret = self.zgw_secrets.get(claims.get("client_id"))
            if secret is None or claims.get("iss") != claims.get("client_id"):
                return False
            expected = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
            if not hmac.compare_digest(expected, _unb64(signature)):
                return False
            return abs(time.time() - float(claims["iat"])) < 3600 and "user_id" in claims
        except (ValueError, KeyError, TypeError):
            return False

    # MARK: - Routes

    def route(self, api, request):
        body = request.get_json(silent=True) if request.method == "POST" else None
        query = request.args
        prefix = {"catalogi": "/catalogi/api/v1", "zaken": "/zaken/api/v1", "documenten": "/documenten/api/v1",
                  "klantinteracties": "/klantinteracties/api/v1", "brp": "/haalcentraal/api/brp"}[api]
        path = request.path[len(prefix):]
        office = self.office
        route = (api, request.method, re.sub(r"/[0-9a-f-]{36}$", "/{uuid}", path))
        match route:
            case ("catalogi", "GET", "/zaaktypen"):
                status = query.get("status", "definitief")
                return _json(office.list("zaaktypen", lambda z: (
                    ("identificatie" not in query or z["identificatie"] == query["identificatie"])
                    and (status == "alles" or z["concept"] == (status == "concept"))), query))
            case ("catalogi", "GET", "/statustypen"):
                return _json(office.list("statustypen", lambda s: s["zaaktypeIdentificatie"] == query.get(
                    "zaaktypeIdentificatie"), query))
            case ("catalogi", "GET", "/roltypen"):
                return _json(office.list("roltypen", lambda r: r["zaaktypeIdentificatie"] == query.get(
                    "zaaktypeIdentificatie") and (
                    "omschrijvingGeneriek" not in query or r["omschrijvingGeneriek"] == query["omschrijvingGeneriek"]),
                    query))
            case ("catalogi", "GET", "/informatieobjecttypen"):
                return _json(office.list("informatieobjecttypen", lambda i: (
                    ("zaaktype" not in query or query["zaaktype"] in i["zaaktypen"])
                    and ("omschrijving" not in query or i["omschrijving"] == query["omschrijving"])), query))
            case ("catalogi", "GET", "/zaaktypen/{uuid}"):
                return _json(office.get("zaaktypen", path.rsplit("/", 1)[1]))
            case ("zaken", "POST", "/zaken"):
                if request.headers.get("Content-Crs") != "EPSG:4326":
                    raise Refusal(412, "precondition_failed", "'Content-Crs' header ontbreekt of is niet EPSG:4326")
                return _json(office.create_zaak(body), 201, {"Content-Crs": "EPSG:4326"})
            case ("zaken", "GET", "/zaken"):
                if request.headers.get("Accept-Crs") not in (None, "EPSG:4326"):
                    raise Refusal(406, "not_acceptable", "CRS niet ondersteund")
                return _json(office.list("zaken", lambda z: all(
                    key not in query or z[key] == query[key] for key in ("identificatie", "bronorganisatie", "zaaktype"))
                    and ("kenmerk" not in query or any(f"{k['bron']}:{k['kenmerk']}" == query["kenmerk"]
                                                       for k in z["kenmerken"])),
                    query), 200, {"Content-Crs": "EPSG:4326"})
            case ("zaken", "GET", "/zaken/{uuid}"):
                return _json(office.get("zaken", path.rsplit("/", 1)[1]), 200, {"Content-Crs": "EPSG:4326"})
            case ("zaken", "POST", "/rollen"):
                return _json(office.create_rol(body), 201)
            case ("zaken", "GET", "/rollen"):
                return _json(office.list("rollen", lambda r: r["zaak"] == query.get("zaak") and (
                    "omschrijvingGeneriek" not in query or r["omschrijvingGeneriek"] == query["omschrijvingGeneriek"]),
                    query))
            case ("zaken", "POST", "/statussen"):
                return _json(office.create_status(body), 201)
            case ("zaken", "GET", "/statussen"):
                return _json(office.list("statussen", lambda s: s["zaak"] == query.get("zaak") and (
                    "statustype" not in query or s["statustype"] == query["statustype"]), query))
            case ("zaken", "GET", "/rollen/{uuid}"):
                return _json(office.get("rollen", path.rsplit("/", 1)[1]))
            case ("zaken", "GET", "/statussen/{uuid}"):
                return _json(office.get("statussen", path.rsplit("/", 1)[1]))
            case ("zaken", "POST", "/zaakinformatieobjecten"):
                return _json(office.create_zio(body), 201)
            case ("zaken", "GET", "/zaakinformatieobjecten"):
                return _json(office.list("zaakinformatieobjecten", lambda z: (
                    "informatieobject" not in query or z["informatieobject"] == query["informatieobject"]),
                    {"pageSize": 10000})["results"])
            case ("documenten", "POST", "/enkelvoudiginformatieobjecten"):
                return _json(office.create_document(body), 201)
            case ("documenten", "GET", "/enkelvoudiginformatieobjecten"):
                return _json(office.list("enkelvoudiginformatieobjecten", lambda d: all(
                    key not in query or d[key] == query[key] for key in ("identificatie", "bronorganisatie")), query))
            case ("klantinteracties", "GET", "/partijen"):
                return _json(office.list("partijen", lambda p: query.get(
                    "partijIdentificator__codeSoortObjectId") == "bsn" and p["_bsn"] == query.get(
                    "partijIdentificator__objectId"), query))
            case ("klantinteracties", "GET", "/klantcontacten"):
                return _json(office.list("klantcontacten", lambda k: query.get("inhoud", "") in k.get("inhoud", ""),
                                         query))
            case ("klantinteracties", "POST", "/maak-klantcontact"):
                return _json(office.maak_klantcontact(body), 201)
            case ("brp", "POST", "/personen"):
                return Response(json.dumps(office.personen(body)), status=200, content_type=BRP_JSON)
        raise Refusal(405 if _known_path(path) else 404, "not_found", "Niet ondersteund door de stand-in.")

    # MARK: - Admin

    def admin(self, request):
        if request.path == "/_standin/state":
            with self.lock:
                count = len(self.requests)
            return _json(self.office.state(), headers={"X-Standin-Requests": str(count)})
        if request.path == "/_standin/violations":
            with self.lock:
                return _json(list(self.violations))
        if request.path == "/_standin/requests":
            after = _int(request.args.get("after"), 0)
            wait = min(_int(request.args.get("wait"), 0), 120)
            at_least = max(_int(request.args.get("atLeast"), 1), 1)
            with self.lock:
                self.recorded.wait_for(lambda: len(self.requests) >= after + at_least, timeout=wait)
                return _json(self.requests[after:], headers={"X-Standin-Requests": str(len(self.requests))})
        if request.path == "/_standin/inject" and request.method == "PUT":
            rules = request.get_json(force=True, silent=True)
            rules = rules if isinstance(rules, list) else [rules]
            with self.lock:
                self.injections = [Injection(rule) for rule in rules if isinstance(rule, dict)]
            return Response(status=204)
        return Response(status=404)


def _int(text, default):
    return int(text) if text and text.isdigit() else default


def _known_path(path):
    return bool(re.match(r"^/(zaken|rollen|statussen|zaakinformatieobjecten|enkelvoudiginformatieobjecten|partijen|"
                         r"maak-klantcontact|personen|zaaktypen|statustypen|roltypen|informatieobjecttypen)", path))


def _json(value, status=200, headers=None):
    return Response(json.dumps(value), status=status, content_type=JSON, headers=headers or {})


def _problem(status, code, title, invalid=None, content_type=PROBLEM):
    body = {"type": f"https://example.invalid/fouten/{code}", "code": code, "title": title, "status": status,
            "detail": title, "instance": f"urn:uuid:{os.urandom(16).hex()}"}
    if status == 400:
        body["invalidParams"] = invalid or []
    return Response(json.dumps(body), status=status, content_type=content_type)


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def _secrets(path):
    """client_id:secret lines."""
    if not path:
        return {}
    pairs = [line.split(":", 1) for line in _read(path).splitlines() if ":" in line]
    return {client.strip(): secret.strip() for client, secret in pairs}


def _tls(args):
    if not args.tls_cert:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.tls_cert, args.tls_key)
    if args.client_ca:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(args.client_ca)
    return context


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", required=True, help="JSON: zaaktypen, personen, afhaalzaken")
    parser.add_argument("--zgw-client-file", help="client_id:secret lines the ZGW APIs accept")
    parser.add_argument("--klant-token-file", help="the token Klantinteracties accepts")
    parser.add_argument("--brp-key-file", help="the X-API-KEY the BRP accepts")
    parser.add_argument("--tls-cert", help="PEM certificate chain: serve https (with --tls-key)")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--client-ca", help="PEM CA: every connection must show a client certificate it signed "
                                            "(mutual TLS, as the BRP's gateway can ask instead of an API key)")
    args = parser.parse_args()
    # One line per request from werkzeug is noise in a test log; findings are printed by the stand-in itself.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    standin = StandIn(args)
    server = make_server(args.host, args.port, standin, threaded=True, ssl_context=_tls(args))
    base = f"{'https' if args.tls_cert else 'http'}://{args.host}:{server.server_port}"
    standin.office.load_seed(base)
    print(f"commonground-standin listening on {base}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
