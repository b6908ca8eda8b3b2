module example.com/hello

go 1.22

require (
	example.com/greet v1.2.3
	example.com/old v1.0.0
)

replace example.com/old => example.com/new v1.1.0
