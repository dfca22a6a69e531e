import ArgumentParser
import Report

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every distribution, transform, figure and check a spec can use.",
        discussion: """
        Each entry shows its one-line description, its support or domain, and its parameters \
        with their kinds, allowed values and defaults.

        Example:
          flowreport list
        """
    )

    func run() throws {
        print(CatalogListing.text(), terminator: "")
    }
}
