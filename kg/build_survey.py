"""The 2022 survey aggregates (survey-2022.yaml) as an RDF Data Cube."""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from .build_concepts import SEED_TITLE, SEED_URL
from .errors import SourceDataError
from .namespaces import KL, QB, Iris
from .sources import Sources

# question code, label nl, label en, yaml path of the value, measure, category (scheme, code) or None,
# yaml path of the sample size or None. Only figures the seed states numerically become observations.
Observation = tuple[str, str, str, str, URIRef, tuple[str, str] | None, str | None]
OBSERVATIONS: list[Observation] = [
    ("respondenten", "Aantal respondenten", "Number of respondents", "respondents.total", KL.respondentCount, None, None),
    ("respondenten-volledig", "Aandeel volledig ingevulde vragenlijsten", "Share of complete questionnaires",
     "respondents.complete_share", KL.share, None, "respondents.total"),
    ("respondenten-gedeeltelijk", "Aandeel gedeeltelijk ingevulde vragenlijsten", "Share of partial questionnaires",
     "respondents.partial_share", KL.share, None, "respondents.total"),
    ("respondenten-steden-gemeenten", "Aandeel steden en gemeenten onder de respondenten",
     "Share of cities and municipalities among respondents", "respondents.cities_and_municipalities_share", KL.share,
     ("bestuurstype", "gemeente"), "respondents.total"),
    ("respondenten-intergemeentelijk", "Intergemeentelijke samenwerkingsverbanden die antwoordden",
     "Intermunicipal associations that answered", "respondents.intermunicipal_associations", KL.respondentCount,
     ("bestuurstype", "intergemeentelijk"), None),
    ("respondenten-schepenen", "Schepenen die antwoordden", "Aldermen who answered", "respondents.aldermen_schepenen",
     KL.respondentCount, None, None),
    ("respondenten-burgemeesters", "Burgemeesters die antwoordden", "Mayors who answered", "respondents.mayors",
     KL.respondentCount, None, None),
    ("interviews", "Aantal interviews", "Number of interviews", "respondents.interviews", KL.respondentCount, None, None),
    ("adoptiegroep-koplopers", "Aandeel innovatoren en early adopters", "Share of innovators and early adopters",
     "maturity.adoption_group_shares.koplopers", KL.share, ("adoptiegroep", "koplopers"), None),
    ("adoptiegroep-early-majority", "Aandeel early majority", "Share of the early majority",
     "maturity.adoption_group_shares.early-majority", KL.share, ("adoptiegroep", "early-majority"), None),
    ("adoptiegroep-late-majority", "Aandeel late majority", "Share of the late majority",
     "maturity.adoption_group_shares.late-majority", KL.share, ("adoptiegroep", "late-majority"), None),
    ("maturiteit-zelfinschatting", "Gemiddelde zelfingeschatte maturiteit (0-10)", "Mean self-assessed maturity (0-10)",
     "maturity.mean_self_assessed_maturity_0_10", KL.meanScore, None, None),
    ("circulaire-activiteit-weefsel", "Gemiddelde ingeschatte circulaire activiteit van burgers en bedrijven (0-10)",
     "Mean assessed circular activity of citizens and companies (0-10)",
     "maturity.mean_assessed_circular_activity_of_citizens_and_companies_0_10", KL.meanScore, None, None),
    ("agenda-actief", "Aandeel besturen dat bezig is met circulaire economie", "Share of governments active on the circular economy",
     "political_agenda.active_share", KL.share, None, None),
    ("agenda-strategisch-extern", "Aandeel met circulaire economie als interne en externe strategische prioriteit",
     "Share naming the circular economy a strategic priority internally and externally",
     "political_agenda.strategic_priority_internal_and_external_share", KL.share, ("maturiteit", "strategisch-extern"), None),
    ("agenda-niet-op-agenda", "Aandeel waar circulaire economie niet op de politieke agenda staat",
     "Share where the circular economy is not on the political agenda",
     "political_agenda.not_on_agenda_share", KL.share, ("maturiteit", "niet-op-agenda"), None),
    ("drijfveer-eerste-reden", "Aandeel dat klimaatdoelstellingen als eerste drijfveer noemt",
     "Share naming climate targets as the first driver", "drivers.climate_first_reason_share", KL.share,
     ("drijfveer", "klimaat"), "drivers.n"),
    ("drempel-kennis-bestuur", "Aandeel dat onvoldoende kennis bij bestuur en administratie als drempel noemt",
     "Share naming insufficient knowledge in leadership and administration as a barrier",
     "barriers.kennis-bestuur_share", KL.share, ("drempel", "kennis-bestuur"), "barriers.n"),
    ("gewenste-deelnemers-bedrijven", "Aandeel dat bedrijven wil betrekken in het doe-netwerk",
     "Share wanting companies involved in the network", "participants_wished.bedrijven_share", KL.share,
     ("vijfhoek", "bedrijven"), "participants_wished.n"),
    ("gewenste-deelnemers-koplopers", "Aandeel dat wil leren van koploperbesturen",
     "Share wanting to learn from front-runner governments", "participants_wished.koploper_besturen_share", KL.share,
     ("adoptiegroep", "koplopers"), "participants_wished.n"),
    ("burgemeestersconvenant", "Vlaamse ondertekenaars van het Burgemeestersconvenant",
     "Flemish signatories of the Covenant of Mayors", "context.covenant_of_mayors_flemish_signatories",
     KL.respondentCount, None, None),
    ("materiaalgerelateerde-emissies", "Aandeel materiaalgerelateerde emissies in Vlaanderen",
     "Share of material-related emissions in Flanders", "context.material_related_emissions_share_flanders",
     KL.share, None, None),
]


def _lookup(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise SourceDataError("data/survey-2022.yaml", path, "value missing")
        value = value[key]
    return value


def add_survey(g: Graph, sources: Sources, iris: Iris) -> None:
    dataset = iris("id/dataset/enquete-2022")
    dsd = iris("id/dataset/enquete-2022/structuur")
    publication = sources.survey["publication"]
    g.add((dataset, RDF.type, QB.DataSet))
    g.add((dataset, SKOS.prefLabel, Literal("Verkenningsronde lokale besturen en circulaire economie 2022", lang="nl")))
    g.add((dataset, SKOS.prefLabel, Literal("2022 survey of local governments and the circular economy", lang="en")))
    g.add((dataset, DCTERMS.title, Literal(publication["title"], lang="nl")))
    g.add((dataset, DCTERMS.publisher, Literal(publication["publisher"])))
    g.add((dataset, DCTERMS.issued, Literal(str(publication["date"]), datatype=XSD.gYearMonth)))
    g.add((dataset, DCTERMS.source, SEED_URL))
    g.add((dataset, QB.structure, dsd))
    g.add((SEED_URL, RDFS.label, Literal(SEED_TITLE, lang="nl")))
    g.add((dsd, RDF.type, QB.DataStructureDefinition))
    for index, (prop, kind) in enumerate(((KL.surveyQuestion, QB.dimension), (QB.measureType, QB.dimension),
                                          (KL.share, QB.measure), (KL.meanScore, QB.measure),
                                          (KL.respondentCount, QB.measure), (KL.surveyCategory, QB.attribute),
                                          (KL.sampleSize, QB.attribute)), start=1):
        component = iris(f"id/dataset/enquete-2022/structuur/c{index}")
        g.add((dsd, QB.component, component))
        g.add((component, kind, prop))
    scheme = iris.scheme("enquetevraag")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCTERMS.identifier, Literal("enquetevraag")))
    g.add((scheme, SKOS.prefLabel, Literal("Vragen en kengetallen van de enquête 2022", lang="nl")))
    g.add((scheme, SKOS.prefLabel, Literal("Questions and figures of the 2022 survey", lang="en")))
    for code, nl, en, path, measure, category, n_path in OBSERVATIONS:
        question = iris.concept("enquetevraag", code)
        g.add((question, RDF.type, SKOS.Concept))
        g.add((question, SKOS.notation, Literal(code)))
        g.add((question, SKOS.prefLabel, Literal(nl, lang="nl")))
        g.add((question, SKOS.prefLabel, Literal(en, lang="en")))
        g.add((question, SKOS.inScheme, scheme))
        g.add((question, SKOS.topConceptOf, scheme))
        obs = iris(f"id/dataset/enquete-2022/obs/{code}")
        value = _lookup(sources.survey, path)
        g.add((obs, RDF.type, QB.Observation))
        g.add((obs, QB.dataSet, dataset))
        g.add((obs, KL.surveyQuestion, question))
        g.add((obs, QB.measureType, measure))
        datatype = XSD.integer if measure == KL.respondentCount else XSD.decimal
        g.add((obs, measure, Literal(str(value), datatype=datatype)))
        if category is not None:
            g.add((obs, KL.surveyCategory, iris.concept(*category)))
        if n_path is not None:
            g.add((obs, KL.sampleSize, Literal(int(_lookup(sources.survey, n_path)), datatype=XSD.integer)))
        g.add((obs, DCTERMS.source, SEED_URL))
