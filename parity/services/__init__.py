"""Changes of state, one function each, called by the command line and the dashboard alike:
the permission check first, the change (with its audit record) in one transaction, then what
the dashboard needs of the new state (its frames, its public publication).

- ``imports``: import a checked file, or submit it to a reporting round; remove a batch.
- ``rounds``: open a round, confirm a flagged submission, publish and unpublish.
- ``users``: add, change and remove users.

Sign-in events (and their failures) are recorded by parity.web.auth, downloads and briefings
by the pages that make them: they change nothing but the audit.
"""
