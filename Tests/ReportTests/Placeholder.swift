// \(n): placeholder until its issue lands.
