@node "%~dp0host.cjs" %*
