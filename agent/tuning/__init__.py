"""Planner training: corpus generation from a catalog (`corpus`, `phrases`, `drafts`) and
LoRA training of the embedded planner (`train`). Used by `convrec train --model planner`;
nothing at run time imports it.
"""
