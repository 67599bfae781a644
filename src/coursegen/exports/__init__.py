"""Exports: each module takes the validated course (and, for packages, a built site) and writes one
file. None of them imports MkDocs except through ``sitebuild``; shared helpers sit beside them."""
