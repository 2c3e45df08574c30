"""The vocabulary of the world we model: academic years, measures, pupil groups, Ofsted, CPD.

Kept apart from storage and import so that every layer (validators, queries, charts) agrees on
one spelling of each term and one list of allowed values.
"""
