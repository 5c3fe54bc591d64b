/* The workbench page (plain JavaScript, no build step). */
