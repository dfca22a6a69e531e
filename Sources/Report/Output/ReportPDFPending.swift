// TEMPORARY: the report-output helper lands ReportPDF; this keeps main building meanwhile.
import Plot
enum ReportPDF {
    static func write(document: ReportDocument, figures: [Figure], to path: String) throws(ReportError) {}
}
