/** One problem found in an uploaded file: where it is and what was wrong. */
export interface FileProblem {
  file: string;
  line: number | string;
  column: string;
  message: string;
}

/**
 * Every problem of a rejected upload (file, line, column, and the message that gives the
 * value and what was expected). Callers put it in their scroll region.
 */
export function FileProblemsTable({ problems, testId }: { problems: readonly FileProblem[]; testId?: string }) {
  return (
    <table className="nhsuk-table" data-testid={testId}>
      <caption className="nhsuk-table__caption nhsuk-table__caption--s">Every problem in the file</caption>
      <thead className="nhsuk-table__head">
        <tr>
          <th scope="col">File</th>
          <th scope="col">Line</th>
          <th scope="col">Column</th>
          <th scope="col">Problem, value and what was expected</th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {problems.map((p, i) => (
          <tr key={i}>
            <td>{p.file}</td>
            <td>{p.line}</td>
            <td>{p.column}</td>
            <td>{p.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
