"""One pure function per mechanism of the essays; `crunchtime.model.step` composes them.

Every function takes arrays (leading sample axis, then an actor axis where it applies) and the flat
parameter dict `p`, returns new arrays, and never mutates its inputs. Equations: docs/model.md.
"""
