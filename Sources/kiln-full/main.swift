import KilnCLI

KilnCommand.main()
