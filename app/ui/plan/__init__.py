"""The client plan's widgets: signing on screen, the preview and printing from memory."""
