"""The one write path. Import from the submodules: services.imports, services.workflow, services.curation."""
