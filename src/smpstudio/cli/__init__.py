"""Edge: the ``smp`` command. Commands parse, call the core and print; errors are handled once,
in :func:`smpstudio.cli.main.run`."""
