#!/usr/bin/env bash
# registry: bootstrap, agencies, operators, listing, registered writers.
. "$(dirname "$0")/lib.sh"

S="$T/s"
store-init -C "$S" --jurisdiction VIC 2>/dev/null

# while no operator is registered, anyone may register
as "Zed Stranger" zed@example.org run registry -C "$S" add-agency djcs --name "Justice" --map-member
expect 0 "bootstrap: unregistered identity adds an agency"
run registry -C "$S" add-agency dh --name "Department of Health" --map-member -m "MAP member"
expect 0 "add a second agency"
is "$(trailer "$S" Reason)" "MAP member" "Reason trailer from -m"
is "$(trailer "$S" Record)" registry "Record trailer"
is "$(trailer "$S" Action)" add-agency "Action trailer"
run registry -C "$S" add-agency forensicare --name "Forensicare" --funded-by dh
expect 0 "funded service"
check "funded_by recorded" grep -q "funded_by: dh" "$S/registry/agencies.yaml"
n=$(commits "$S")

run registry -C "$S" add-agency dh --name "Again"
expect 2 "duplicate agency"
err_has "already registered" "says it exists"
run registry -C "$S" add-agency x1 --name "X" --funded-by nobody
expect 2 "funded by an unknown agency"
run registry -C "$S" add-agency "Bad/Id" --name "X"
expect 2 "invalid agency id"
err_has "agencies" "names the field"
is "$(commits "$S")" "$n" "no commit on errors"

as "Zed Stranger" zed@example.org run registry -C "$S" add-operator ada --name "Ada Admin" --email ada@example.org --role administrator
expect 2 "the first operator must be the one registering"
err_has "the first operator must be you" "says why"
run registry -C "$S" add-operator ada --name "Ada Admin" --email ada@example.org --role soct-officer
expect 2 "the first operator must be an administrator"
is "$(commits "$S")" "$n" "no commit"

run registry -C "$S" -n add-operator ada --name "Ada Admin" --email ada@example.org --role soct-officer,administrator --agency dh
expect 0 "dry run"
out_has "+    email: ada@example.org" "dry run prints the diff"
is "$(commits "$S")" "$n" "dry run commits nothing"
clean "$S" "after dry run"

run registry -C "$S" add-operator ada --name "Ada Admin" --email ada@example.org --role soct-officer,administrator --agency dh
expect 0 "add operator"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(git -C "$S" log -1 --format='%an <%ae>')" "Ada Admin <ada@example.org>" "author from git config"

run registry -C "$S" add-operator eve --name "Eve" --email ADA@example.org --role auditor
expect 2 "email already registered (case-insensitive)"
run registry -C "$S" add-operator eve --name "Eve" --email eve@example.org --role wizard
expect 2 "unknown role"
err_has "unknown role 'wizard'" "names the role"
run registry -C "$S" add-operator eve --name "Eve" --email eve@example.org --role auditor --agency nowhere
expect 2 "unknown agency"
run registry -C "$S" add-operator eve --name $'Eve\nCase: X' --email eve@example.org --role auditor
expect 2 "name with a newline"
run registry -C "$S" add-operator eve --name "Eve" --role auditor
expect 2 "missing --email"
is "$(commits "$S")" "$((n + 1))" "no commit on errors"

# now that an operator exists, strangers may not write
as "Zed Stranger" zed@example.org run registry -C "$S" add-agency vicpol --name "Victoria Police" --map-member
expect 2 "unregistered identity refused"
err_has "not a registered operator" "says why"
is "$(commits "$S")" "$((n + 1))" "no commit"

run registry -C "$S" add-operator bob --name "Bob" --email bob@example.org --role auditor,case-manager
expect 0 "an administrator adds another operator"
n=$(commits "$S")
as "Bob" bob@example.org run registry -C "$S" add-agency vicpol --name "Victoria Police" --map-member
expect 2 "an operator without the administrator role may not change the registries"
err_has "administrator role" "says which role is needed"
is "$(commits "$S")" "$n" "no commit"

run registry -C "$S" list operators
expect 0 "list operators"
out_has "ada@example.org" "lists ada"
out_has "auditor,case-manager" "lists roles"
run registry -C "$S" list
expect 0 "list both"
out_has "agencies:" "heading for agencies"
out_has "operators:" "heading for operators"
run registry -C "$S" list --format json
check "both as one json object" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert sorted(d)==["agencies","operators"], d' "$T/out"
run registry -C "$S" list agencies --format json
expect 0 "list agencies as json"
check "json parses" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [a["id"] for a in d]==["djcs","dh","forensicare"], d' "$T/out"
run registry -C "$S" list --format xml
expect 2 "bad format"
run registry -C "$T/nowhere" list
expect 2 "not a store"
clean "$S" "at the end"

done_testing
