"""The record-linkage engine (no Django): standardise, link with Splink, cluster, score."""
