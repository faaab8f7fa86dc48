"""convrec.recsys: datasets, item catalog, recommender models, offline metrics."""
