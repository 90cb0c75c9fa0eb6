# Sourced by the test scripts: no configuration but the test's own, i.e. no
# BOPT_* variables and XDG_CONFIG_HOME and HOME in DIR (created).
#
#   isolate DIR
isolate() {
	for var in $(env | sed -n 's/^\(BOPT_[A-Z_]*\)=.*/\1/p'); do
		unset "$var"
	done
	mkdir -p "$1"
	XDG_CONFIG_HOME=$1
	HOME=$1
	export XDG_CONFIG_HOME HOME
}
