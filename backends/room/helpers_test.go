package room

// commander is a person who may do everything, for tests about other things.
func commander(name string) Actor { return Actor{Name: name, Role: RoleCommander} }
