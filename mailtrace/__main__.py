from mailtrace.cli import main

raise SystemExit(main())
