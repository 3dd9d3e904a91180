"""Analyses built on the public API: paired experiments that test the essays' claims (`claims`)."""
