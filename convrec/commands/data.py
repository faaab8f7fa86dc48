"""`convrec data fetch|info`: obtain a dataset into the cache and describe it."""

from __future__ import annotations

import argparse
from pathlib import Path

from convrec.recsys.data import Dataset
from convrec.recsys.fetch import MOVIELENS_100K, fetch, load_dataset
from convrec.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("data", help="fetch a dataset and show its statistics")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    get = actions.add_parser("fetch", help="obtain a dataset into the cache")
    get.add_argument("name", nargs="?", default=MOVIELENS_100K,
                     help=f"dataset name (default {MOVIELENS_100K}); with --interactions and "
                          "--items, the name your own data is stored under")
    get.add_argument("--interactions", type=Path, help="CSV: user,item,timestamp[,rating]")
    get.add_argument("--items", type=Path, help="CSV: id,title[,year][,genres][,description]")
    get.set_defaults(handler=_fetch)
    info = actions.add_parser("info", help="print a fetched dataset's statistics")
    info.add_argument("name", nargs="?", default=MOVIELENS_100K)
    info.set_defaults(handler=_info)


def _fetch(args: argparse.Namespace, settings: Settings) -> int:
    dataset, source = fetch(settings.home, args.name, args.interactions, args.items)
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
    print("genres        " + ", ".join(f"{g} {n}" for g, n in stats.genres.items()))
