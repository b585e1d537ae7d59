import MoorCommands

await MoorMain.main()
