"""What the city's browser apps share: helpers every page script uses (``static/js/ui.js``:
money, WITA times, status names, a text-only DOM builder) and the base stylesheet (forms,
buttons, focus, colours), and the asset pipeline that fingerprints them
(:mod:`sites.common.assets`)."""
