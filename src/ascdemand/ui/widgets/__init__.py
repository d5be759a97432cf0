"""Controls and forms: the sidebar filters, download buttons, pickers, the scenario controls and
the save, edit and upload forms. They read and write through `ui.services`."""
