import MoorStandIns

StandIn.main()
