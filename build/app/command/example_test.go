package command_test

import (
	"fmt"

	"github.com/ingot-dev/ingot/build/app/command"
)

func ExampleSplit() {
	words, err := command.Split(`/app/serve --root '/srv/my site' --banner "it's \"live\"" $HOME`)
	if err != nil {
		panic(err)
	}
	for _, w := range words {
		fmt.Printf("%q\n", w)
	}
	// Output:
	// "/app/serve"
	// "--root"
	// "/srv/my site"
	// "--banner"
	// "it's \"live\""
	// "$HOME"
}

func ExampleParseIgnore() {
	pats, err := command.ParseIgnore([]byte("# build output\n/dist/\n**/*.map\nnode_modules\n"))
	if err != nil {
		panic(err)
	}
	fmt.Println(pats)
	// Output: [dist *.map node_modules]
}
