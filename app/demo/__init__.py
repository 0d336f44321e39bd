"""Everything that exists only to show Veldwerk without real data: the caseload generator, the
demo profiles, the embedded central server and the set-up behind the screenshots.

The product core (domain, storage, sync, services, reports) never imports this package; the
entry points (`veldwerk demo`, the screenshot tool) and the server's seed do. Import the
submodules themselves: this package imports nothing, so `server.seed` can use the generator
without pulling in the client's storage.
"""
