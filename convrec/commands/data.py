"""`convrec data fetch|info`: obtain a dataset into the cache and describe it."""

from __future__ import annotations

import argparse
from pathlib import Path

from convrec.recsys.data import Dataset
from convrec.recsys.fetch import MOVIELENS_100K, fetch, load_dataset
from convrec.recsys.parsers import ItemColumns
from convrec.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("data", help="fetch a dataset and show its statistics")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    get = actions.add_parser("fetch", help="obtain a dataset into the cache")
    get.add_argument("name", nargs="?", default=MOVIELENS_100K,
                     help=f"dataset name (default {MOVIELENS_100K}); with --interactions and "
                          "--items, the name your own data is stored under")
    get.add_argument("--interactions", type=Path, help="CSV: user,item,timestamp[,rating]")
    get.add_argument("--items", type=Path,
                     help="CSV: id,title[,year] and any facet ('|'-separated: genres, tags, "
                          "categories, ...), people (director, author, designers, ...) and "
                          "text (description, plot, ...) columns")
    get.add_argument("--noun", help="what one item is called, e.g. game, book (default: item)")
    for kind, example in (("facets", "platforms"), ("people", "illustrators"),
                          ("text", "tagline")):
        get.add_argument(f"--{kind}", default="", metavar="COLUMNS",
                         help=f"comma-separated columns of --items to read as {kind} besides "
                              f"the known names (e.g. {example})")
    get.set_defaults(handler=_fetch)
    info = actions.add_parser("info", help="print a fetched dataset's statistics")
    info.add_argument("name", nargs="?", default=MOVIELENS_100K)
    info.set_defaults(handler=_info)


def _fetch(args: argparse.Namespace, settings: Settings) -> int:
    columns = ItemColumns(*(tuple(c for c in value.split(",") if c.strip())
                            for value in (args.facets, args.people, args.text)))
    dataset, source = fetch(settings.home, args.name, args.interactions, args.items,
                            noun=args.noun, columns=columns)
    if source == "cache":
        print(f"{dataset.name}: already in the cache ({settings.home}); nothing to do")
    else:
        print(f"{dataset.name}: fetched from {source} into {settings.home}")
    print_stats(dataset)
    return 0


def _info(args: argparse.Namespace, settings: Settings) -> int:
    print_stats(load_dataset(settings.home, args.name))
    return 0


def print_stats(dataset: Dataset) -> None:
    stats = dataset.stats()
    print(f"users         {stats.users}")
    print(f"items         {stats.items}")
    print(f"interactions  {stats.interactions}")
    print(f"density       {stats.density:.4%}")
    info = dataset.info
    print(f"noun          {info.noun}")
    print(f"facets        {', '.join(info.facet_columns)}: "
          + ", ".join(f"{g} {n}" for g, n in stats.genres.items()))
    if info.people_columns:
        people = {n for pairs in dataset.items["people"] for _, n in pairs}
        print(f"people        {', '.join(info.people_columns)}: {len(people)} names")
