module github.com/oosc-dev/oosc

go 1.24

require github.com/beevik/etree v1.8.1
