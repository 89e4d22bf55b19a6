"""Synthetic, seeded benchmark inputs: catalogues, PO files and environment profiles.

    python benchmarks/generate.py [--out benchmarks/.data] [--sizes 100 1000 10000] [--seed 8]

For each size N it writes ``<out>/n<N>/``:

- ``catalog/modules.yaml`` and ``catalog/workflows/<module>.yaml``: N workflows spread over
  every module key of the schema, every schedule kind in a realistic mix (null, hourly,
  every, every within a window, daily, weekly, monthly, nightly, event, cron), a few
  per-product differences, templates with placeholders and obsolete workflows;
- ``catalog/environments/{nordic,staging}.yaml``: two profiles that install every module,
  so every workflow is scheduled;
- ``locales/workflows.pot`` and ``locales/{sv,de,it,fr}/LC_MESSAGES/workflows.po``, made with
  wfgen's own l10n code from the previous release of the catalogue (about 2 % of the English
  changed since, a few workflows added and removed), most entries translated, some fuzzy.

The same seed gives the same bytes. ``schedules(n, seed=...)`` gives timed schedules for the
sentence benchmark.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCHEMA = ROOT / "generator" / "schemas" / "catalog.schema.json"
DEFAULT_OUT = Path(__file__).resolve().parent / ".data"
SIZES = (100, 1_000, 10_000)
LOCALES = ("sv", "de", "it", "fr")
PRODUCTS = ("classic-v7", "v8", "standard")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Share of each schedule kind, close to the bundled catalogue (half undocumented, then daily
# and hourly) with every other kind present.
KIND_MIX = (
    ("null", 35),
    ("daily", 18),
    ("hourly", 12),
    ("every", 10),
    ("every-window", 5),
    ("weekly", 5),
    ("monthly", 4),
    ("nightly", 4),
    ("event", 4),
    ("cron", 3),
)
TIMED_KINDS = tuple((k, w) for k, w in KIND_MIX if k not in ("null", "event"))

CRON_EXPRESSIONS = (
    "30 1 * * 1-5",
    "0 6,18 * * *",
    "15 3 1,15 * *",
    "0 22 * * 6",
    "45 4 * 1,4,7,10 *",
    "0 0 * * 0",
    "10 2 10 * *",
    "0 8-18/2 * * 1-5",
)

# Words that make labels and descriptions, with their translations, so PO files read like
# translations and not like copies.
NOUNS = {
    "Cleanup": {"sv": "Rensning", "de": "Bereinigung", "it": "Pulizia", "fr": "Nettoyage"},
    "Tracking": {"sv": "Spårning", "de": "Tracking", "it": "Tracciamento", "fr": "Suivi"},
    "Billing": {"sv": "Fakturering", "de": "Abrechnung", "it": "Fatturazione", "fr": "Facturation"},
    "Synchronization": {
        "sv": "Synkronisering",
        "de": "Synchronisierung",
        "it": "Sincronizzazione",
        "fr": "Synchronisation",
    },
    "Export": {"sv": "Export", "de": "Export", "it": "Esportazione", "fr": "Export"},
    "Import": {"sv": "Import", "de": "Import", "it": "Importazione", "fr": "Import"},
    "Aggregates": {"sv": "Aggregat", "de": "Aggregate", "it": "Aggregati", "fr": "Agrégats"},
    "Forecasting": {"sv": "Prognos", "de": "Prognose", "it": "Previsione", "fr": "Prévision"},
    "Statistics": {"sv": "Statistik", "de": "Statistik", "it": "Statistiche", "fr": "Statistiques"},
    "Archiving": {
        "sv": "Arkivering",
        "de": "Archivierung",
        "it": "Archiviazione",
        "fr": "Archivage",
    },
}
OBJECTS = {
    "deliveries": {
        "sv": "utskicken",
        "de": "die Sendungen",
        "it": "le consegne",
        "fr": "les diffusions",
    },
    "recipients": {
        "sv": "mottagarna",
        "de": "die Empfänger",
        "it": "i destinatari",
        "fr": "les destinataires",
    },
    "logs": {"sv": "loggarna", "de": "die Protokolle", "it": "i log", "fr": "les journaux"},
    "offers": {"sv": "erbjudandena", "de": "die Angebote", "it": "le offerte", "fr": "les offres"},
    "segments": {"sv": "segmenten", "de": "die Segmente", "it": "i segmenti", "fr": "les segments"},
    "events": {
        "sv": "händelserna",
        "de": "die Ereignisse",
        "it": "gli eventi",
        "fr": "les événements",
    },
}
VERBS = {
    "updates": {"sv": "uppdaterar", "de": "aktualisiert", "it": "aggiorna", "fr": "met à jour"},
    "purges": {"sv": "rensar", "de": "löscht", "it": "elimina", "fr": "purge"},
    "collects": {"sv": "samlar in", "de": "sammelt", "it": "raccoglie", "fr": "collecte"},
    "checks": {"sv": "kontrollerar", "de": "prüft", "it": "controlla", "fr": "vérifie"},
}
THIS_WORKFLOW = {
    "sv": "Detta arbetsflöde",
    "de": "Dieser Workflow",
    "it": "Questo workflow",
    "fr": "Ce workflow",
}
AND_REPORTS = {
    "sv": "och rapporterar resultatet till operatören.",
    "de": "und meldet das Ergebnis dem Operator.",
    "it": "e comunica il risultato all'operatore.",
    "fr": "et signale le résultat à l'opérateur.",
}


@dataclass(frozen=True)
class Text:
    """A generated English text and the parts it was made of (to translate it)."""

    english: str
    parts: tuple[str, ...]


def module_keys() -> list[str]:
    """The module keys the schema allows, in its order."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return list(schema["$defs"]["moduleKey"]["enum"])


def _pick(rng: random.Random, mix: tuple[tuple[str, int], ...]) -> str:
    names = [name for name, _ in mix]
    return rng.choices(names, weights=[w for _, w in mix])[0]


def _time(rng: random.Random) -> str:
    return f"{rng.randrange(24):02d}:{rng.choice((0, 0, 0, 15, 30, 45)):02d}"


def schedule(rng: random.Random, kind: str) -> dict[str, Any] | None:  # noqa: PLR0911, PLR0912 - one return per schedule kind generated
    """A catalogue schedule mapping of ``kind`` (see KIND_MIX)."""
    if kind == "null":
        return None
    if kind == "hourly":
        return {"kind": "hourly", **({"minute": rng.randrange(60)} if rng.random() < 0.5 else {})}
    if kind in ("every", "every-window"):
        if rng.random() < 0.6:
            out: dict[str, Any] = {"kind": "every", "minutes": rng.choice((5, 10, 15, 20, 30))}
        else:
            out = {"kind": "every", "hours": rng.choice((2, 3, 4, 6, 8, 12))}
        if kind == "every-window":
            start = rng.randrange(5, 10)
            end = rng.choice((start + 8, start + 10, 24))
            out["between"] = {"start": f"{start:02d}:00", "end": f"{end % 24:02d}:00"}
        return out
    if kind == "daily":
        return {"kind": "daily", "at": _time(rng)}
    if kind == "weekly":
        return {"kind": "weekly", "weekday": rng.choice(WEEKDAYS), "at": _time(rng)}
    if kind == "monthly":
        out = {"kind": "monthly", "day": rng.randint(1, 28)}
        if rng.random() < 0.7:
            out["at"] = _time(rng)
        return out
    if kind == "nightly":
        return {"kind": "nightly"}
    if kind == "event":
        return {"kind": "event", "trigger": "a file arrives on the SFTP server"}
    if kind == "cron":
        return {"kind": "cron", "expression": rng.choice(CRON_EXPRESSIONS)}
    raise ValueError(kind)


def schedules(n: int, *, seed: int = 8) -> list[dict[str, Any]]:
    """``n`` timed schedules (every kind a clock fires) in the catalogue's mix."""
    rng = random.Random(f"schedules-{seed}")
    out = []
    while len(out) < n:
        found = schedule(rng, _pick(rng, TIMED_KINDS))
        assert found is not None
        out.append(found)
    return out


def _label(rng: random.Random, serial: int) -> Text:
    first, second = rng.sample(sorted(NOUNS), 2)
    return Text(f"{first} and {second.lower()} {serial}", (first, second, str(serial)))


def _description(rng: random.Random, revision: int = 0) -> Text:
    verb = rng.choice(sorted(VERBS))
    obj = rng.choice(sorted(OBJECTS))
    tail = " and reports the result to the operator." if revision % 2 else "."
    return Text(f"This workflow {verb} the {obj}{tail}", (verb, obj, str(revision % 2)))


def translate(text: Text, locale: str, *, kind: str) -> str:
    """The locale's version of a generated label or description."""
    if kind == "label":
        first, second, serial = text.parts
        return f"{NOUNS[first][locale]} / {NOUNS[second][locale].lower()} {serial}"
    verb, obj, reports = text.parts
    tail = " " + AND_REPORTS[locale] if reports == "1" else "."
    return f"{THIS_WORKFLOW[locale]} {VERBS[verb][locale]} {OBJECTS[obj][locale]}{tail}".replace(
        " .", "."
    )


@dataclass
class Entry:
    """One generated workflow, its module and the texts it was made from."""

    module: str
    data: dict[str, Any]
    label: Text
    description: Text


def workflows(n: int, *, seed: int, modules: list[str], start: int = 0) -> list[Entry]:
    """``n`` workflows spread over ``modules``; ids carry serial numbers from ``start``."""
    rng = random.Random(f"workflows-{seed}")
    out = []
    for serial in range(start, start + n):
        module = (
            modules[serial % len(modules)] if serial - start < len(modules) else rng.choice(modules)
        )
        first = rng.choice(sorted(NOUNS)).lower()
        template = rng.random() < 0.01
        if template:
            wid = f"{first}Sync{serial}_<external_account_name>"
        else:
            wid = f"{first}{module.title().replace('-', '')}{serial}"
        label, description = _label(rng, serial), _description(rng)
        products = rng.choice(
            (("classic-v7", "v8"),) * 5
            + (("v8",),) * 2
            + (("classic-v7", "v8", "standard"),) * 2
            + (("classic-v7",),)
        )
        data: dict[str, Any] = {
            "id": wid,
            "label": label.english,
            "description": description.english,
            "package": module.replace("-", " ").capitalize(),
            "products": list(products),
            "status": "active",
            "schedule": schedule(rng, _pick(rng, KIND_MIX)),
        }
        if data["schedule"] is not None and rng.random() < 0.3:
            data["schedule_source"] = {
                "page": f"{products[0]}_{module}.md",
                "text": "It is triggered by default at the documented time.",
            }
        if len(products) > 1 and rng.random() < 0.05:
            data["per_product"] = {products[-1]: {"schedule": schedule(rng, "daily")}}
        if template:
            data["placeholders"] = {
                "external_account_name": "External account of an execution instance."
            }
        out.append(Entry(module, data, label, description))
    # About 1 % obsolete, each replaced by an active workflow.
    gone = {id(e) for e in rng.sample(out, max(1, n // 100)) if not e.data.get("placeholders")}
    successor = next(
        (e.data["id"] for e in out if id(e) not in gone and not e.data.get("placeholders")), None
    )
    for entry in out:
        if id(entry) in gone and successor is not None:
            entry.data["status"] = "obsolete"
            entry.data["replaced_by"] = successor
    return out


def next_release(previous: list[Entry], *, seed: int, modules: list[str]) -> list[Entry]:
    """The current catalogue: about 2 % of descriptions reworded, 1 % removed, 1 % added."""
    rng = random.Random(f"release-{seed}")
    replaced = {e.data["replaced_by"] for e in previous if e.data.get("replaced_by")}
    current: list[Entry] = []
    for entry in previous:
        roll = rng.random()
        if roll < 0.01 and entry.data["status"] == "active" and entry.data["id"] not in replaced:
            continue  # removed: its PO entries become obsolete
        if roll < 0.03:
            description = _description(rng, revision=1)
            current.append(
                Entry(
                    entry.module,
                    {**entry.data, "description": description.english},
                    entry.label,
                    description,
                )
            )
            continue
        current.append(entry)
    added = workflows(len(previous) // 100 + 1, seed=seed + 1, modules=modules, start=len(previous))
    current += [e for e in added if e.data["status"] == "active"]
    return current


def modules_yaml(modules: list[str]) -> dict[str, Any]:
    """The modules file: every schema module key."""
    return {
        "modules": {
            key: {
                "name": key.replace("-", " ").title(),
                "package": key.replace("-", " ").capitalize(),
                "summary": f"The workflows detailed below are installed with the {key} module "
                "by default.",
            }
            for key in modules
        }
    }


def environment(name: str, *, modules: list[str]) -> dict[str, Any]:
    """A profile that installs every module, so every workflow is scheduled."""
    nordic = name == "nordic"
    return {
        "environment": {
            "description": f"Benchmark instance {name}",
            "instance": f"bench_{name}",
            "role": "marketing",
            "timezone": "Europe/Stockholm" if nordic else "UTC",
            "products": list(PRODUCTS) if nordic else ["v8", "classic-v7"],
            "modules": list(modules),
            "nightly": "01:30" if nordic else "02:15",
            "user": "neolane",
            "command": [
                "/usr/local/neolane/nl6/bin/nlserver",
                "javascript",
                "-instance:{instance}",
                "-file",
                "/usr/local/neolane/nl6/datakit/xtk/fra/js/startWorkflow.js",
                "-arg:{id}",
            ],
            "targets": ["crontab", "cron.d", "systemd", "kubernetes"],
            "kubernetes": {
                "namespace": f"campaign-{name}",
                "image": "registry.example.com/campaign/nlserver:8.6.2",
                "startingDeadlineSeconds": 300,
            },
            "placeholders": {"external_account_name": ["mc_exec_01", "mc_exec_02"]},
        }
    }


def _dump(path: Path, data: dict[str, Any], comment: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=4096)
    path.write_text(f"# {comment}\n{text}", encoding="utf-8")


def write_catalog(folder: Path, entries: list[Entry], modules: list[str]) -> None:
    """modules.yaml, one workflows file per module, two environment profiles."""
    if folder.exists():
        shutil.rmtree(folder)
    _dump(folder / "modules.yaml", modules_yaml(modules), "Synthetic benchmark modules.")
    by_module: dict[str, list[dict[str, Any]]] = {key: [] for key in modules}
    for entry in entries:
        by_module[entry.module].append(entry.data)
    for key, items in by_module.items():
        if items:
            _dump(
                folder / "workflows" / f"{key}.yaml",
                {"module": key, "workflows": items},
                f"Synthetic benchmark workflows of module {key}.",
            )
    for name in ("nordic", "staging"):
        _dump(
            folder / "environments" / f"{name}.yaml",
            environment(name, modules=modules),
            f"Synthetic benchmark environment {name}.",
        )


def _bundled_phrases(locale: str) -> dict[str, str]:
    """phrase| and ui| translations of the bundled PO file (or the phrase seed) of ``locale``."""
    from generator.l10n.po import po_path, read_po_file

    path = po_path(ROOT / "locales", locale)
    found: dict[str, str] = {}
    if path.is_file():
        for message in read_po_file(path, locale):
            context = str(message.context or "")
            if context.startswith(("phrase|", "ui|")) and message.string and not message.fuzzy:
                found[context] = str(message.string)
    seed = json.loads(
        (ROOT / "generator" / "l10n" / "phrase_seed.json").read_text(encoding="utf-8")
    )
    for name, text in (seed.get(locale) or {}).items():
        found.setdefault(f"phrase|{name}", str(text))
    return found


def write_locales(folder: Path, catalog_dir: Path, entries: list[Entry], *, seed: int) -> None:
    """PO files of every locale for the catalogue in ``catalog_dir``, mostly translated."""
    from generator.commands.l10n import L10nSettings, extract, init_locale
    from generator.l10n.po import po_path, read_po_file
    from generator.l10n.po_write import dump_po

    if folder.exists():
        shutil.rmtree(folder)
    settings = L10nSettings(catalog_dir=catalog_dir, locales_dir=folder)
    extract(settings)
    texts = {}
    for entry in entries:
        texts[f"{entry.data['id']}|label"] = ("label", entry.label)
        texts[f"{entry.data['id']}|description"] = ("description", entry.description)
    modules = {f"module|{key}" for key in module_keys()}
    for locale in LOCALES:
        init_locale(settings, locale)
        rng = random.Random(f"po-{seed}-{locale}")
        path = po_path(folder, locale)
        catalog = read_po_file(path, locale)
        fixed = _bundled_phrases(locale)
        for message in catalog:
            context = str(message.context or "")
            if context in fixed:
                message.string = fixed[context]
            elif context in modules:
                message.string = f"{message.id!s} ({locale})"
            elif context in texts and rng.random() < 0.9:
                kind, text = texts[context]
                message.string = translate(text, locale, kind=kind)
                if rng.random() < 0.03:
                    message.flags.add("fuzzy")
        path.write_bytes(dump_po(catalog))


def generate(
    out: Path, sizes: tuple[int, ...] = SIZES, *, seed: int = 8, log: Any = None
) -> list[Path]:
    """Write every input set under ``out``; return their folders."""
    modules = module_keys()
    folders = []
    for n in sizes:
        folder = out / f"n{n}"
        if log:
            log(f"generating {folder} ({n} workflows)")
        previous = workflows(n, seed=seed + n, modules=modules)
        # PO files are made from the previous release, so `l10n update` has real merging to do.
        write_catalog(folder / "catalog", previous, modules)
        write_locales(folder / "locales", folder / "catalog", previous, seed=seed)
        current = next_release(previous, seed=seed + n, modules=modules)
        write_catalog(folder / "catalog", current, modules)
        # The template of the current release, as `wfgen l10n extract` writes it (pybabel's input).
        from generator.commands.l10n import L10nSettings, extract

        extract(L10nSettings(catalog_dir=folder / "catalog", locales_dir=folder / "locales"))
        folders.append(folder)
    return folders


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    for folder in generate(
        args.out, tuple(args.sizes), seed=args.seed, log=lambda m: print(m, file=sys.stderr)
    ):
        print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
