"""What the stand-in keeps: the objects it was sent or seeded with, per API, so that lookups find them.

Each handler does what Open Zaak 1.21 and Open Klant 2.7 do for the operations a kiosk gateway uses, including the
uniqueness rules they enforce: (bronorganisatie, identificatie) for a zaak and a document (`identificatie-niet-uniek`), and
(zaak, informatieobject) for a zaakinformatieobject (`unique`). Rol, status and klantcontact have no unique key, as on the
real servers: that is why the gateway must look before it creates.
"""

import base64
import datetime
import json
import threading
import uuid


class Refusal(Exception):
    """An answer the real server gives for a request it will not take: status, code, title and invalid parameters."""

    def __init__(self, status, code, title, invalid=None):
        super().__init__(title)
        self.status, self.code, self.title, self.invalid = status, code, title, invalid or []


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


class BackOffice:
    """All five APIs' objects, under one lock (the stand-in serves several connections at once)."""

    def __init__(self, seed):
        self.lock = threading.Lock()
        self.base = ""
        self.objects = {name: {} for name in (
            "zaaktypen", "statustypen", "roltypen", "informatieobjecttypen", "zaken", "rollen", "statussen",
            "zaakinformatieobjecten", "enkelvoudiginformatieobjecten", "partijen", "klantcontacten", "betrokkenen",
            "onderwerpobjecten")}
        self.persons = {}
        self.seed = seed
        self.brp_queries = 0

    # MARK: - Seeding

    def load_seed(self, base):
        """Makes the seeded objects, with URLs on this server's own address (known once it listens)."""
        self.base = base
        for zaaktype in self.seed.get("zaaktypen", []):
            self._seed_zaaktype(zaaktype)
        for person in self.seed.get("personen", []):
            self.persons[person["burgerservicenummer"]] = person
            if person.get("partij", True):
                self._seed_partij(person["burgerservicenummer"])
        for pickup in self.seed.get("afhaalzaken", []):
            self._seed_pickup(pickup)

    def _url(self, api, resource, key=None):
        key = key or str(uuid.uuid4())
        prefix = {"catalogi": "/catalogi/api/v1", "zaken": "/zaken/api/v1", "documenten": "/documenten/api/v1",
                  "klantinteracties": "/klantinteracties/api/v1"}[api]
        return f"{self.base}{prefix}/{resource}/{key}", key

    def _seed_zaaktype(self, spec):
        catalogus = f"{self.base}/catalogi/api/v1/catalogussen/{uuid.UUID(int=1)}"
        url, _ = self._url("catalogi", "zaaktypen")
        today = _now().date().isoformat()
        zaaktype = {
            "url": url, "identificatie": spec["identificatie"], "omschrijving": spec["omschrijving"],
            "vertrouwelijkheidaanduiding": "zaakvertrouwelijk", "doel": spec["omschrijving"],
            "aanleiding": "Aanvraag aan een zelfbedieningszuil", "indicatieInternOfExtern": "extern",
            "handelingInitiator": "Aanvragen", "onderwerp": spec["omschrijving"], "handelingBehandelaar": "Behandelen",
            "doorlooptijd": "P5D", "opschortingEnAanhoudingMogelijk": False, "verlengingMogelijk": False,
            "publicatieIndicatie": False, "productenOfDiensten": [], "referentieproces": {"naam": "Verstrekken"},
            "verantwoordelijke": "Gemeente", "beginGeldigheid": "2024-01-01", "versiedatum": "2024-01-01",
            "catalogus": catalogus, "besluittypen": [], "gerelateerdeZaaktypen": [],
            "concept": bool(spec.get("concept", False)), "statustypen": [], "roltypen": [],
            "informatieobjecttypen": [], "resultaattypen": [], "eigenschappen": [], "deelzaaktypen": [],
            "zaakobjecttypen": [], "beginObject": "2024-01-01",
        }
        if spec.get("eindeGeldigheid"):
            zaaktype["eindeGeldigheid"] = spec["eindeGeldigheid"]
        self.objects["zaaktypen"][url] = zaaktype
        count = len(spec.get("statustypen", []))
        for number, omschrijving in enumerate(spec.get("statustypen", []), start=1):
            st_url, _ = self._url("catalogi", "statustypen")
            self.objects["statustypen"][st_url] = {
                "url": st_url, "omschrijving": omschrijving, "zaaktype": url,
                "zaaktypeIdentificatie": spec["identificatie"], "volgnummer": number, "isEindstatus": number == count,
                "informeren": False, "catalogus": catalogus, "eigenschappen": [], "zaakobjecttypen": [],
                "beginGeldigheid": "2024-01-01", "beginObject": "2024-01-01"}
            zaaktype["statustypen"].append(st_url)
        rt_url, _ = self._url("catalogi", "roltypen")
        self.objects["roltypen"][rt_url] = {
            "url": rt_url, "zaaktype": url, "zaaktypeIdentificatie": spec["identificatie"], "omschrijving": "Aanvrager",
            "omschrijvingGeneriek": "initiator", "catalogus": catalogus, "beginGeldigheid": "2024-01-01",
            "beginObject": "2024-01-01"}
        zaaktype["roltypen"].append(rt_url)
        if spec.get("informatieobjecttype"):
            iot_url, _ = self._url("catalogi", "informatieobjecttypen")
            self.objects["informatieobjecttypen"][iot_url] = {
                "url": iot_url, "catalogus": catalogus, "omschrijving": spec["informatieobjecttype"],
                "vertrouwelijkheidaanduiding": "zaakvertrouwelijk", "beginGeldigheid": "2024-01-01", "concept": False,
                "besluittypen": [], "informatieobjectcategorie": "Uittreksel", "zaaktypen": [url],
                "beginObject": "2024-01-01"}
            zaaktype["informatieobjecttypen"].append(iot_url)

    def _seed_partij(self, bsn):
        url, key = self._url("klantinteracties", "partijen")
        self.objects["partijen"][url] = {
            "uuid": key, "url": url, "nummer": f"{len(self.objects['partijen']) + 1:010d}", "interneNotitie": "",
            "betrokkenen": [], "categorieRelaties": [], "digitaleAdressen": [], "voorkeursDigitaalAdres": None,
            "vertegenwoordigden": [], "rekeningnummers": [], "voorkeursRekeningnummer": None,
            "partijIdentificatoren": [], "soortPartij": "persoon", "indicatieGeheimhouding": False,
            "voorkeurstaal": "nld", "indicatieActief": True, "bezoekadres": None, "correspondentieadres": None,
            "partijIdentificatie": {"contactnaam": None, "volledigeNaam": ""},
            # Kept beside the answer for the identificator filter; dropped from what is served.
            "_bsn": bsn}

    def _seed_pickup(self, spec):
        zaaktype = next(z for z in self.objects["zaaktypen"].values() if z["identificatie"] == spec["zaaktype"])
        zaak = self._make_zaak({
            "zaaktype": zaaktype["url"], "bronorganisatie": spec.get("bronorganisatie", "002564440"),
            "verantwoordelijkeOrganisatie": spec.get("bronorganisatie", "002564440"),
            "startdatum": _now().date().isoformat(), "omschrijving": "Afhalen reisdocument",
            "kenmerken": [{"kenmerk": spec["code"], "bron": "afhaalcode"}]})
        roltype = next(r for r in self.objects["roltypen"].values() if r["zaaktype"] == zaaktype["url"])
        self._make_rol({
            "zaak": zaak["url"], "betrokkeneType": "natuurlijk_persoon", "roltype": roltype["url"],
            "roltoelichting": "Aanvrager",
            "betrokkeneIdentificatie": {"inpBsn": spec["bsn"], "geboortedatum": spec["geboortedatum"],
                                        "geslachtsnaam": spec.get("geslachtsnaam", "")}})
        statustypen = sorted((s for s in self.objects["statustypen"].values() if s["zaaktype"] == zaaktype["url"]),
                             key=lambda s: s["volgnummer"])
        ready = next(s for s in statustypen if s["omschrijving"] == spec["status"])
        self._make_status({"zaak": zaak["url"], "statustype": ready["url"], "datumStatusGezet": _now().isoformat()})

    # MARK: - Catalogi

    def list(self, resource, matches, query):
        """A paginated list of the objects that pass `matches`, in the order they were made."""
        with self.lock:
            found = [self._served(o) for o in self.objects[resource].values() if matches(o)]
        page, size = int(query.get("page", 1)), int(query.get("pageSize", 100))
        window = found[(page - 1) * size: page * size]
        return {"count": len(found), "next": None, "previous": None, "results": window}

    def get(self, resource, key):
        with self.lock:
            for url, obj in self.objects[resource].items():
                if url.rsplit("/", 1)[1] == key:
                    return self._served(obj)
        raise Refusal(404, "not_found", "Niet gevonden.")

    @staticmethod
    def _served(obj):
        return {k: v for k, v in obj.items() if not k.startswith("_")}

    # MARK: - Zaken

    def create_zaak(self, body):
        with self.lock:
            self._check_url(body["zaaktype"], "zaaktypen", "zaaktype")
            zaaktype = self.objects["zaaktypen"][body["zaaktype"]]
            if zaaktype.get("concept"):
                raise Refusal(400, "invalid", "Invalid input.", [
                    {"name": "zaaktype", "code": "not-published", "reason": "Het zaaktype is nog niet gepubliceerd."}])
            if body.get("identificatie") and any(
                    z["identificatie"] == body["identificatie"] and z["bronorganisatie"] == body["bronorganisatie"]
                    for z in self.objects["zaken"].values()):
                raise Refusal(400, "invalid", "Invalid input.", [{
                    "name": "identificatie", "code": "identificatie-niet-uniek",
                    "reason": "Deze identificatie bestaat al voor deze bronorganisatie"}])
            return self._make_zaak(body)

    def _make_zaak(self, body):
        url, key = self._url("zaken", "zaken")
        number = len(self.objects["zaken"]) + 1
        zaak = {
            "url": url, "uuid": key, "identificatie": body.get("identificatie") or f"ZAAK-{number:06d}",
            "bronorganisatie": body["bronorganisatie"], "omschrijving": body.get("omschrijving", ""),
            "toelichting": body.get("toelichting", ""), "zaaktype": body["zaaktype"],
            "registratiedatum": _now().date().isoformat(),
            "verantwoordelijkeOrganisatie": body["verantwoordelijkeOrganisatie"], "startdatum": body["startdatum"],
            "einddatum": None, "communicatiekanaalNaam": body.get("communicatiekanaalNaam", ""),
            "vertrouwelijkheidaanduiding": body.get("vertrouwelijkheidaanduiding", "zaakvertrouwelijk"),
            "kenmerken": body.get("kenmerken", []), "rollen": [], "status": None, "zaakinformatieobjecten": [],
            "deelzaken": [], "eigenschappen": [], "zaakobjecten": [], "archiefnominatie": None,
            "archiefstatus": "nog_te_archiveren", "resultaat": None}
        self.objects["zaken"][url] = zaak
        return self._served(zaak)

    def create_rol(self, body):
        with self.lock:
            self._check_url(body["zaak"], "zaken", "zaak")
            self._check_url(body["roltype"], "roltypen", "roltype")
            return self._make_rol(body)

    def _make_rol(self, body):
        url, key = self._url("zaken", "rollen")
        roltype = self.objects["roltypen"][body["roltype"]]
        rol = {"url": url, "uuid": key, "zaak": body["zaak"], "betrokkene": body.get("betrokkene", ""),
               "betrokkeneType": body["betrokkeneType"], "roltype": body["roltype"],
               "omschrijving": roltype["omschrijving"], "omschrijvingGeneriek": roltype["omschrijvingGeneriek"],
               "roltoelichting": body.get("roltoelichting", ""), "registratiedatum": _now().isoformat(),
               "indicatieMachtiging": "", "statussen": [],
               "betrokkeneIdentificatie": body.get("betrokkeneIdentificatie", {})}
        self.objects["rollen"][url] = rol
        self.objects["zaken"][body["zaak"]]["rollen"].append(url)
        return self._served(rol)

    def create_status(self, body):
        with self.lock:
            self._check_url(body["zaak"], "zaken", "zaak")
            self._check_url(body["statustype"], "statustypen", "statustype")
            zaak = self.objects["zaken"][body["zaak"]]
            if self.objects["statustypen"][body["statustype"]]["zaaktype"] != zaak["zaaktype"]:
                raise Refusal(400, "invalid", "Invalid input.", [{
                    "name": "nonFieldErrors", "code": "zaaktype-mismatch",
                    "reason": "Het statustype hoort niet bij het zaaktype van de zaak."}])
            return self._make_status(body)

    def _make_status(self, body):
        url, key = self._url("zaken", "statussen")
        for other in self.objects["statussen"].values():
            if other["zaak"] == body["zaak"]:
                other["indicatieLaatstGezetteStatus"] = False
        status = {"url": url, "uuid": key, "zaak": body["zaak"], "statustype": body["statustype"],
                  "datumStatusGezet": body["datumStatusGezet"], "statustoelichting": body.get("statustoelichting", ""),
                  "indicatieLaatstGezetteStatus": True, "gezetdoor": None, "zaakinformatieobjecten": []}
        self.objects["statussen"][url] = status
        zaak = self.objects["zaken"][body["zaak"]]
        zaak["status"] = url
        if self.objects["statustypen"][body["statustype"]]["isEindstatus"]:
            zaak["einddatum"] = _now().date().isoformat()
        return self._served(status)

    def create_zio(self, body):
        with self.lock:
            self._check_url(body["zaak"], "zaken", "zaak")
            self._check_url(body["informatieobject"], "enkelvoudiginformatieobjecten", "informatieobject")
            if any(z["zaak"] == body["zaak"] and z["informatieobject"] == body["informatieobject"]
                   for z in self.objects["zaakinformatieobjecten"].values()):
                raise Refusal(400, "invalid", "Invalid input.", [{
                    "name": "nonFieldErrors", "code": "unique",
                    "reason": "De velden zaak, informatieobject moeten een unieke set zijn."}])
            url, key = self._url("zaken", "zaakinformatieobjecten")
            zio = {"url": url, "uuid": key, "informatieobject": body["informatieobject"], "zaak": body["zaak"],
                   "aardRelatieWeergave": "Hoort bij, omgekeerd: kent", "titel": body.get("titel", ""),
                   "beschrijving": body.get("beschrijving", ""), "registratiedatum": _now().isoformat(),
                   "vernietigingsdatum": None, "status": None}
            self.objects["zaakinformatieobjecten"][url] = zio
            self.objects["zaken"][body["zaak"]]["zaakinformatieobjecten"].append(url)
            return self._served(zio)

    # MARK: - Documenten

    def create_document(self, body):
        with self.lock:
            self._check_url(body["informatieobjecttype"], "informatieobjecttypen", "informatieobjecttype")
            if body.get("identificatie") and any(
                    d["identificatie"] == body["identificatie"] and d["bronorganisatie"] == body["bronorganisatie"]
                    for d in self.objects["enkelvoudiginformatieobjecten"].values()):
                raise Refusal(400, "invalid", "Invalid input.", [{
                    "name": "identificatie", "code": "identificatie-niet-uniek",
                    "reason": "Deze identificatie bestaat al voor deze bronorganisatie"}])
            try:
                content = base64.b64decode(body.get("inhoud") or "", validate=True)
            except ValueError:
                raise Refusal(400, "invalid", "Invalid input.", [
                    {"name": "inhoud", "code": "invalid", "reason": "Geen geldige base64."}]) from None
            url, key = self._url("documenten", "enkelvoudiginformatieobjecten")
            document = {k: v for k, v in body.items() if k != "inhoud"}
            document.update({
                "url": url, "identificatie": body.get("identificatie") or f"DOCUMENT-{key[:8]}",
                "versie": 1, "beginRegistratie": _now().isoformat(), "bestandsomvang": len(content),
                "inhoud": f"{url}/download?versie=1", "locked": False, "bestandsdelen": [],
                "status": body.get("status", ""), "vertrouwelijkheidaanduiding": body.get(
                    "vertrouwelijkheidaanduiding", "zaakvertrouwelijk"), "_content": content})
            self.objects["enkelvoudiginformatieobjecten"][url] = document
            return self._served(document)

    # MARK: - Klantinteracties

    def maak_klantcontact(self, body):
        with self.lock:
            partij = None
            if body.get("betrokkene") and body["betrokkene"].get("wasPartij"):
                wanted = body["betrokkene"]["wasPartij"]["uuid"]
                partij = next((p for p in self.objects["partijen"].values() if p["uuid"] == wanted), None)
                if partij is None:
                    raise Refusal(400, "invalid", "Invalid input.", [{
                        "name": "betrokkene.wasPartij", "code": "does_not_exist", "reason": "Partij bestaat niet."}])
            url, key = self._url("klantinteracties", "klantcontacten")
            contact = dict(body["klantcontact"])
            contact.update({"uuid": key, "url": url, "gingOverOnderwerpobjecten": [], "hadBetrokkenActoren": [],
                            "omvatteBijlagen": [], "hadBetrokkenen": [], "leiddeTotInterneTaken": [],
                            "nummer": f"{len(self.objects['klantcontacten']) + 1:010d}"})
            contact.setdefault("vertrouwelijk", False)
            self.objects["klantcontacten"][url] = contact
            # Absent parts are left out: the document does not let them be null.
            answer = {"klantcontact": self._served(contact)}
            if body.get("betrokkene"):
                b_url, b_key = self._url("klantinteracties", "betrokkenen")
                betrokkene = dict(body["betrokkene"])
                betrokkene.update({
                    "uuid": b_key, "url": b_url, "hadKlantcontact": {"uuid": key, "url": url},
                    "digitaleAdressen": [], "volledigeNaam": "",
                    "wasPartij": {"uuid": partij["uuid"], "url": partij["url"]} if partij else None})
                self.objects["betrokkenen"][b_url] = betrokkene
                contact["hadBetrokkenen"].append({"uuid": b_key, "url": b_url})
                answer["betrokkene"] = betrokkene
            if body.get("onderwerpobject"):
                o_url, o_key = self._url("klantinteracties", "onderwerpobjecten")
                onderwerp = dict(body["onderwerpobject"])
                onderwerp.update({"uuid": o_key, "url": o_url, "klantcontact": {"uuid": key, "url": url},
                                  "wasKlantcontact": None})
                self.objects["onderwerpobjecten"][o_url] = onderwerp
                contact["gingOverOnderwerpobjecten"].append({"uuid": o_key, "url": o_url})
                answer["onderwerpobject"] = onderwerp
            answer["klantcontact"] = self._served(contact)
            return answer

    # MARK: - BRP

    def personen(self, body):
        if body.get("type") != "RaadpleegMetBurgerservicenummer":
            raise Refusal(400, "paramsValidation", "Alleen RaadpleegMetBurgerservicenummer wordt hier beantwoord.")
        fields = body.get("fields", [])
        with self.lock:
            self.brp_queries += 1
            found = [self.persons[b] for b in body.get("burgerservicenummer", []) if b in self.persons]
        return {"type": "RaadpleegMetBurgerservicenummer", "personen": [_only(p, fields) for p in found]}

    # MARK: - Checks

    def _check_url(self, url, resource, name):
        if url not in self.objects[resource]:
            raise Refusal(400, "invalid", "Invalid input.", [{
                "name": name, "code": "bad-url", "reason": f"De URL {url} resolvet niet naar een {resource[:-2]}."}])

    def state(self):
        """Every object, for the tests' assertions (the admin endpoint)."""
        with self.lock:
            return json.loads(json.dumps({name: [self._served(o) for o in objs.values()]
                                          for name, objs in self.objects.items()}, default=str)) | {
                "brpQueries": self.brp_queries}


def _only(person, fields):
    """The person with only the asked fields (dotted paths), plus what the BRP always sends along."""
    always = {"geheimhoudingPersoonsgegevens", "inOnderzoek", "opschortingBijhouding", "rni", "verificatie"}
    answer = {}
    for field in fields:
        head, _, rest = field.partition(".")
        if head not in person:
            continue
        if not rest:
            answer[head] = person[head]
        elif isinstance(person[head], dict):
            answer.setdefault(head, {}).update(_only(person[head], [rest]))
    for key in always:
        if key in person:
            answer[key] = person[key]
    return answer
