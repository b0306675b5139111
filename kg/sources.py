"""Reading and checking the source files in ``data/``; every problem names its file and record."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import SourceDataError

CASE_FILES = "cases/cases*.yaml"
ORGANISATION_FILES = "cases/organisations*.yaml"
MEMBER_LIST_FILES = "cases/intercommunale_members*.yaml"
CASE_REQUIRED = ("id", "title_nl", "summary_nl", "lead", "gov_role", "themes", "instruments",
                 "pentagon", "status", "source_url")


@dataclass(frozen=True)
class Sources:
    """Everything the build reads, loaded and checked."""

    data_dir: Path
    concepts: dict[str, list[dict[str, Any]]]
    vocabularies: dict[str, list[dict[str, Any]]]
    municipalities: list[dict[str, str]]
    former_municipalities: list[dict[str, str]]
    crosswalk: list[dict[str, str]]
    provinces: list[dict[str, str]]
    adjacency: list[dict[str, str]]
    associations: list[dict[str, str]]
    intercommunale_members: list[dict[str, Any]]                     # each with "_file": where it was read
    organisations: list[dict[str, Any]] = field(default_factory=list)
    organisation_files: dict[str, str] = field(default_factory=dict)   # id -> file
    cases: list[dict[str, Any]] = field(default_factory=list)
    case_files: dict[str, str] = field(default_factory=dict)           # id -> file
    aliases: list[dict[str, str]] = field(default_factory=list)
    extra_governments: list[dict[str, Any]] = field(default_factory=list)
    barrier_remedies: list[dict[str, Any]] = field(default_factory=list)
    survey: dict[str, Any] = field(default_factory=dict)
    collaborations: list[dict[str, Any]] = field(default_factory=list)
    intercommunales: list[dict[str, Any]] = field(default_factory=list)          # data/intercommunales.yaml
    name_resolutions: list[dict[str, Any]] = field(default_factory=list)         # data/name_resolutions.yaml
    municipal_websites: list[dict[str, str]] = field(default_factory=list)       # data/contacts/municipal_websites.csv

    def input_files(self) -> list[Path]:
        """Every file the build depends on (for change detection)."""
        return sorted(p for p in self.data_dir.rglob("*") if p.is_file())


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise SourceDataError(str(path), "-", "file is missing") from None
    except yaml.YAMLError as exc:
        raise SourceDataError(str(path), "-", f"not valid YAML ({exc.__class__.__name__})") from None


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except FileNotFoundError:
        raise SourceDataError(str(path), "-", "file is missing") from None


def _rel(data_dir: Path, path: Path) -> str:
    return f"data/{path.relative_to(data_dir)}"


def load_sources(data_dir: Path) -> Sources:
    """Load and check every source file; raises SourceDataError on the first problem."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise SourceDataError(str(data_dir), "-", "data directory not found")
    concepts = _read_yaml(data_dir / "concepts.yaml")
    organisations, organisation_files = _load_records(data_dir, ORGANISATION_FILES, kind="organisation")
    cases, case_files = _load_records(data_dir, CASE_FILES, kind="case")
    sources = Sources(
        data_dir=data_dir,
        concepts=concepts,
        vocabularies=_read_yaml(data_dir / "vocabularies.yaml"),
        municipalities=_read_csv(data_dir / "flanders/municipalities.csv"),
        former_municipalities=_read_csv(data_dir / "flanders/municipalities_2019_2024.csv"),
        crosswalk=_read_csv(data_dir / "flanders/merger_2025_crosswalk.csv"),
        provinces=_read_csv(data_dir / "flanders/provinces.csv"),
        adjacency=_read_csv(data_dir / "flanders/adjacency.csv"),
        associations=_read_csv(data_dir / "flanders/intercommunales.csv"),
        intercommunale_members=_load_member_lists(data_dir),
        organisations=organisations,
        organisation_files=organisation_files,
        cases=cases,
        case_files=case_files,
        aliases=(_read_yaml(data_dir / "aliases.yaml") or {}).get("aliases", []),
        extra_governments=(_read_yaml(data_dir / "extra_governments.yaml") or {}).get("governments", []),
        barrier_remedies=(_read_yaml(data_dir / "barrier_remedies.yaml") or {}).get("remedies", [])
        if (data_dir / "barrier_remedies.yaml").exists() else [],
        survey=_read_yaml(data_dir / "survey-2022.yaml"),
        collaborations=(_read_yaml(data_dir / "collaborations.yaml") or {}).get("collaborations", []),
        intercommunales=_optional_list(data_dir / "intercommunales.yaml", "intercommunales"),
        name_resolutions=_optional_list(data_dir / "name_resolutions.yaml", "resolutions"),
        municipal_websites=_load_municipal_websites(data_dir),
    )
    _add_listed_intercommunales(sources)
    _check_municipalities(sources)
    _check_cases(sources)
    return sources


def _add_listed_intercommunales(sources: Sources) -> None:
    """An intercommunale that only a member list names (``id`` in data/intercommunales.yaml) becomes an
    organisation record whose source is that list; its functions are checked against the vocabulary."""
    functions = {f["code"] for f in sources.vocabularies.get("intercommunale_functions", [])}
    lists_by_name = {entry["name"]: entry for entry in sources.intercommunale_members}
    known_names = {o["name"] for o in sources.organisations}
    for item in sources.intercommunales:
        name = item.get("name", "?")
        for code in item.get("functions") or []:
            if code not in functions:
                raise SourceDataError("data/intercommunales.yaml", name, f"unknown function {code!r}; valid: {', '.join(sorted(functions))}")
        if not item.get("id"):
            if name not in known_names:
                raise SourceDataError("data/intercommunales.yaml", name, "no organisation record of that name; give it an id")
            continue
        if item["id"] in sources.organisation_files:
            raise SourceDataError("data/intercommunales.yaml", name, f"id {item['id']!r} is already used in {sources.organisation_files[item['id']]}")
        if name not in lists_by_name:
            raise SourceDataError("data/intercommunales.yaml", name, "an intercommunale without a record needs a member list")
        sources.organisations.append({"id": item["id"], "name": name, "kind": "intercommunale", "url": None,
                                      "description": None, "source_url": lists_by_name[name]["source_url"]})
        sources.organisation_files[item["id"]] = "data/intercommunales.yaml"


MUNICIPAL_WEBSITES = Path("contacts") / "municipal_websites.csv"


def _load_municipal_websites(data_dir: Path) -> list[dict[str, str]]:
    """Each municipality's website with the source it was read from (see data/contacts/PROVENANCE.md)."""
    path = data_dir / MUNICIPAL_WEBSITES
    if not path.exists():
        return []
    rows = _read_csv(path)
    for row in rows:  # that the code is a current municipality's is checked where the row is used
        for column in ("website", "source_url"):
            if not (row.get(column) or "").startswith(("https://", "http://")):
                raise SourceDataError(str(path), row["nis_code"], f"{column} must be an http(s) URL")
    return rows


def _optional_list(path: Path, key: str) -> list[dict[str, Any]]:
    return (_read_yaml(path) or {}).get(key, []) if path.exists() else []


MEMBER_LIST_REQUIRED = ("name", "municipalities", "source_url", "date_seen", "complete")


def _load_member_lists(data_dir: Path) -> list[dict[str, Any]]:
    """Every member list of every ``intercommunale_members*.yaml``, each marked with its file."""
    lists: list[dict[str, Any]] = []
    for path in sorted(data_dir.glob(MEMBER_LIST_FILES)):
        where = _rel(data_dir, path)
        entries = (_read_yaml(path) or {}).get("intercommunales", [])
        for index, entry in enumerate(entries):
            name = entry.get("name") or f"list #{index + 1}"
            for key in MEMBER_LIST_REQUIRED:
                if entry.get(key) in (None, "", []):
                    raise SourceDataError(where, name, f"missing field '{key}'")
            if not isinstance(entry["complete"], bool):
                raise SourceDataError(where, name, "complete must be true or false")
            if not str(entry["source_url"]).startswith(("http://", "https://")):
                raise SourceDataError(where, name, f"source_url is not a web address: {entry['source_url']!r}")
            lists.append({**entry, "_file": where})
    return lists


def _load_records(data_dir: Path, pattern: str, *, kind: str) -> tuple[list[dict], dict[str, str]]:
    records: list[dict] = []
    files: dict[str, str] = {}
    for path in sorted(data_dir.glob(pattern)):
        items = _read_yaml(path)
        if not isinstance(items, list):
            raise SourceDataError(_rel(data_dir, path), "-", f"expected a list of {kind}s")
        for index, item in enumerate(items):
            where = _rel(data_dir, path)
            if not isinstance(item, dict) or not item.get("id"):
                raise SourceDataError(where, f"record #{index + 1}", f"{kind} without an id")
            if item["id"] in files:
                raise SourceDataError(where, item["id"], f"duplicate {kind} id (also in {files[item['id']]})")
            files[item["id"]] = where
            records.append(item)
    if not records:
        raise SourceDataError(f"data/{pattern}", "-", f"no {kind}s found")
    return records, files


def _check_municipalities(sources: Sources) -> None:
    seen: set[str] = set()
    for row in sources.municipalities:
        nis = row.get("nis_code", "")
        if not (len(nis) == 5 and nis.isdigit()):
            raise SourceDataError("data/flanders/municipalities.csv", nis or row.get("name_nl", "?"), "NIS code must be 5 digits")
        if nis in seen:
            raise SourceDataError("data/flanders/municipalities.csv", nis, "duplicate NIS code")
        seen.add(nis)
    for row in sources.adjacency:
        for key in ("nis_a", "nis_b"):
            if row[key] not in seen:
                raise SourceDataError("data/flanders/adjacency.csv", f"{row['nis_a']}-{row['nis_b']}", f"unknown NIS code {row[key]}")


def concept_codes(sources: Sources, scheme_key: str) -> set[str]:
    return {c["code"] for c in sources.concepts.get(scheme_key, [])}


def _check_cases(sources: Sources) -> None:
    allowed = {
        "themes": concept_codes(sources, "themes"),
        "instruments": concept_codes(sources, "instruments"),
        "pentagon": concept_codes(sources, "pentagon"),
    }
    statuses = {s["code"] for s in sources.vocabularies["case_statuses"]}
    roles = {r["source_value"] for r in sources.vocabularies["case_roles"]}
    organisation_ids = {o["id"] for o in sources.organisations}
    for case in sources.cases:
        where, cid = sources.case_files[case["id"]], case["id"]
        for key in CASE_REQUIRED:
            if case.get(key) in (None, "") and not (key in ("themes", "instruments") and case.get(key) == []):
                problem = "case without source" if key == "source_url" else f"missing field '{key}'"
                raise SourceDataError(where, cid, problem)
        if not str(case["source_url"]).startswith(("http://", "https://")):
            raise SourceDataError(where, cid, f"source_url is not a web address: {case['source_url']!r}")
        for key, codes in allowed.items():
            for code in case.get(key) or []:
                if code not in codes:
                    raise SourceDataError(where, cid, f"unknown {key[:-1] if key != 'pentagon' else 'pentagon role'} code {code!r}")
        if case["status"] not in statuses:
            raise SourceDataError(where, cid, f"unknown status {case['status']!r}")
        if case["gov_role"] not in roles:
            raise SourceDataError(where, cid, f"unknown gov_role {case['gov_role']!r}")
        for pid in case.get("partner_ids") or []:
            if pid not in organisation_ids:
                raise SourceDataError(where, cid, f"unknown partner id {pid!r}")
        if not case.get("lead"):
            raise SourceDataError(where, cid, "no lead government named")
