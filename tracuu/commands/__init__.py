"""The command line's verbs, one module each (`tracuu.cli` parses the arguments and calls
`tracuu.commands.VERB:FUNCTION` by name, so only the verb that runs is imported).

Each function takes the parsed arguments and returns an exit code; expected failures raise TracuuError.
These modules are the entry layer: they may import any package, but import the heavy ones inside
functions, so `tracuu search` starts fast. The JSON they print comes from `qa.output`, shared with the API.
"""
