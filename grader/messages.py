"""The bilingual message catalogue: every learner- or user-facing text, in Korean and English."""

from __future__ import annotations

#: key -> (Korean, English). Fields in braces are filled by :func:`format`.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- visible tests (grader.asserts) ---
    "assert.failed": ("확인 실패: {what}", "Check failed: {what}"),
    "assert.equal": ("{name}: 기댓값 {expected!r}, 실제값 {actual!r}",
                     "{name}: expected {expected!r}, got {actual!r}"),
    "assert.close": ("{name}: 값이 기댓값과 다릅니다 (최대 차이 {diff:.3g}, 허용 오차 {atol:.3g})",
                     "{name}: values differ from the expected ones (max difference {diff:.3g}, tolerance {atol:.3g})"),
    "assert.shape": ("{name}: 모양이 {expected}이어야 하는데 {actual}입니다",
                     "{name}: shape should be {expected}, got {actual}"),
    "assert.dtype": ("{name}: 자료형이 {expected}이어야 하는데 {actual}입니다",
                     "{name}: dtype should be {expected}, got {actual}"),
    "assert.type": ("{name}: {expected} 객체여야 하는데 {actual}입니다",
                    "{name}: should be a {expected}, got {actual}"),
    "assert.not_implemented": ("{name}: 아직 답을 작성하지 않았습니다 (NotImplementedError)",
                               "{name}: not answered yet (NotImplementedError)"),
    "assert.held_out": ("확인 실패: {what} (처음 보는 데이터에서 잰 정확도 {accuracy})",
                        "Check failed: {what} (accuracy measured on the held-out data: {accuracy})"),
    "assert.visible_passed": ("보이는 검사를 통과했습니다. 채점 때는 숨은 검사도 실행됩니다.",
                              "Visible checks passed. Grading also runs hidden checks."),
    # --- course run ---
    "run.timeout": ("제한 시간 {budget_s}초를 넘어 중단했습니다", "stopped after exceeding its time budget of {budget_s} s"),
    "run.kernel_missing": ("커널 '{kernel}'이(가) 없습니다. 먼저 `make setup`을 실행하세요",
                           "kernel '{kernel}' is not installed: run `make setup` first"),
    "run.kernel_stale": ("커널 '{kernel}'의 설정이 지금 강의 코드와 다릅니다(업데이트 전의 설정). `make setup`을 다시 실행하세요",
                         "kernel '{kernel}' is installed with an outdated spec (from before an update): run `make setup` again"),
    "run.skipped_kernel": ("이 인터프리터에서는 커널 '{kernel}'을(를) 쓸 수 없어 건너뜁니다",
                           "skipped: kernel '{kernel}' is not available with this interpreter"),
    "run.summary": ("노트북 {total}개 중 {ok}개 성공, {failed}개 실패, {skipped}개 건너뜀 ({seconds:.0f}초)",
                    "{ok} of {total} notebooks ok, {failed} failed, {skipped} skipped ({seconds:.0f} s)"),
    "run.no_notebooks": ("실행할 노트북이 없습니다: {paths}", "no notebooks to run: {paths}"),
    "run.bad_shard": ("--shard는 I/N 형식이어야 합니다 (1 ≤ I ≤ N): {shard}",
                      "--shard must be I/N with 1 <= I <= N: {shard}"),
    # --- the run report (build/report.md, grader.report) ---
    "report.title": ("실행 보고서", "Course run report"),
    "report.col.notebook": ("노트북", "notebook"),
    "report.col.kernel": ("커널", "kernel"),
    "report.col.status": ("상태", "status"),
    "report.col.seconds": ("초", "s"),
    "report.col.budget": ("예산(초)", "budget s"),
    "report.col.peak": ("최대 메모리(MB)", "peak MB"),
    "report.col.notes": ("비고", "notes"),
    "report.near_budget": ("예산의 {percent}% 넘게 씀", "used over {percent}% of its budget"),
    "report.warnings": ("지원 중단 경고 {count}개", "{count} deprecation warnings"),
    "report.total": ("합계: 노트북 {count}개, 노트북 실행 시간 {seconds:.1f}초",
                     "total: {count} notebooks, {seconds:.1f} s of notebook time"),
    # --- course grade ---
    "grade.hidden_failed": ("{grade_id}: 보이는 검사는 통과했지만 숨은 검사 하나가 실패했습니다({ename}). 문제의 설명을 다시 읽고 다른 모양, 자료형과 경계 사례에서도 맞는지 확인하세요.",
                            "{grade_id}: the visible checks pass, but a hidden check failed ({ename}). Re-read the task and make sure your answer also holds for other shapes, dtypes and edge cases."),
    "grade.hidden_requirement": ("{grade_id}: 숨은 검사 하나가 실패했습니다({ename}). 확인한 요구 사항: {requirement}. 문제의 설명에서 이 요구 사항을 다시 읽고, 다른 입력에서도 맞는지 확인하세요.",
                                 "{grade_id}: a hidden check failed ({ename}). The requirement it checks: {requirement}. Re-read that requirement in the task and make sure your answer holds for other inputs too."),
    # What a hidden check verifies, from the literal message or name= of the check helper that failed.
    "hidden.value": ("{name}의 값", "the value of {name}"),
    "hidden.shape": ("{name}의 모양(shape)", "the shape of {name}"),
    "hidden.dtype": ("{name}의 자료형(dtype)", "the dtype of {name}"),
    "hidden.type": ("{name}의 타입", "the type of {name}"),
    "grade.visible_error": ("{grade_id}: 검사를 실행하다가 오류가 났습니다. 아래는 파이썬이 낸 오류 그대로입니다. 답의 코드가 이 검사의 입력에서 실행되는지 확인하세요.",
                            "{grade_id}: running the checks raised an error; Python's own message follows. Make sure your answer's code runs on this check's inputs."),
    "grade.unreadable": ("파일을 읽을 수 없습니다: {error}", "cannot read the file: {error}"),
    "grade.not_notebook": ("올바른 Jupyter 노트북이 아닙니다: {error}", "not a valid Jupyter notebook: {error}"),
    "grade.unknown_assignment": ("어느 연습 문제의 제출물인지 알 수 없습니다: {path}",
                                 "cannot tell which exercise this submission belongs to: {path}"),
    "grade.missing_cell": ("채점 셀 '{grade_id}'이(가) 제출물에 없어 원본에서 복원했습니다",
                           "graded cell '{grade_id}' was missing from the submission and was restored from the source"),
    "grade.changed_cell": ("채점 셀 '{grade_id}'이(가) 제출물에서 바뀌어 있어({what}) 원본으로 되돌렸습니다",
                           "graded cell '{grade_id}' was changed in the submission ({what}) and was restored from the source"),
    "heldout.claims": ("테스트 셀 하나에서 처음 보는 데이터 검사가 {count}번 보고되었습니다 (1번이어야 합니다)",
                       "{count} held-out reports in one test cell (expected 1)"),
    "heldout.malformed": ("처음 보는 데이터 검사의 보고 형식이 잘못되었습니다", "a malformed held-out report"),
    "heldout.unreadable": ("{name}의 정답 레이블을 읽을 수 없습니다: {error}",
                           "the labels of {name} cannot be read: {error}"),
    "heldout.count": ("예측이 {got}개인데 처음 보는 데이터의 레이블은 {want}개입니다",
                      "{got} predictions for {want} held-out labels"),
    "heldout.below": ("처음 보는 데이터에서 잰 정확도 {accuracy} < {at_least}",
                      "held-out accuracy {accuracy} < {at_least}"),
    "grade.duplicate_cell": ("채점 셀 '{grade_id}'이(가) 제출물에 두 번 있어 두 번째 것은 채점하지 않습니다",
                             "graded cell '{grade_id}' appears twice in the submission; the second copy is not graded"),
    "grade.timeout": ("제한 시간 {budget_s}초를 넘어 실행을 멈췄습니다. 셀 {cell}부터는 실행되지 않았습니다",
                      "execution stopped after its time budget of {budget_s} s (cells from {cell} on did not run)"),
    "grade.kernel_died": ("셀 {cell}에서 커널이 예기치 않게 죽었습니다. 그 뒤의 셀은 실행되지 않았습니다",
                          "the kernel died (cell {cell}); the cells after it did not run"),
    "grade.kernel_failed": ("커널을 시작하지 못했습니다: {error}", "the kernel could not start: {error}"),
    "grade.output_truncated": ("출력이 너무 많아 {limit} 바이트 이후는 버렸습니다",
                               "output was too long; everything after {limit} bytes was dropped"),
    "grade.cell_timeout": ("셀이 {seconds}초를 넘겨 중단되었습니다", "the cell ran past {seconds} s and was interrupted"),
    "grade.header": ("채점 결과: {path}", "Grade: {path}"),
    "grade.total": ("합계 {score:g} / {max_score:g}", "Total {score:g} / {max_score:g}"),
    "grade.col.points": ("점수", "points"),
    "grade.col.status": ("상태", "status"),
    "grade.status.passed": ("통과", "passed"),
    "grade.status.failed": ("실패", "failed"),
    "grade.status.not_run": ("실행 안 됨", "not run"),
    "grade.status.tampered": ("채점 조작", "tampered"),
    "grade.tampered": ("이 제출물은 채점을 조작하려 했습니다({what}). 그 뒤에 채점된 문항은 0점입니다: {parts}",
                       "this submission tampered with grading ({what}); the parts graded after it score 0: {parts}"),
    # --- course grade-all (grader.classroom) ---
    "gradeall.no_folder": ("제출물 폴더가 없습니다: {path}", "no such submissions folder: {path}"),
    "gradeall.empty": ("채점할 제출물이 없습니다: {path}", "no submissions to grade in {path}"),
    "gradeall.no_solutions": ("원본(solutions) 폴더가 없습니다: {path}", "no such solutions folder: {path}"),
    "gradeall.bad_jobs": ("--jobs는 1 이상이어야 합니다: {jobs}", "--jobs must be at least 1: {jobs}"),
    "gradeall.out_inside": ("결과 폴더 {out}이(가) 제출물 폴더 {folder} 안에 있습니다: 제출물 폴더 밖을 지정하세요",
                            "the output folder {out} is inside the submissions folder {folder}: choose one outside it"),
    "gradeall.failed": ("이 제출물을 채점하다가 오류가 나서 점수를 매기지 못했습니다: {error}",
                        "grading this submission failed, so it was not scored: {error}"),
    "gradeall.missing": ("제출물이 없습니다: {path}", "no submission found: {path}"),
    "gradeall.not_file": ("일반 파일이 아니어서 채점하지 않았습니다: {path}", "not a regular file, so it was not graded: {path}"),
    "gradeall.duplicate": ("같은 학생의 같은 과제 제출물이 하나 더 있습니다: {path}",
                           "another submission of the same assignment by the same student: {path}"),
    "gradeall.feedback_failed": ("피드백 페이지를 만들지 못했습니다: {error}", "the feedback page could not be written: {error}"),
    "gradeall.summary": ("제출물 {total}개: 채점 {graded}개, 읽을 수 없음 {unreadable}개, 오류 {error}개, 미제출 {missing}개 ({seconds:.0f}초)",
                         "{total} submissions: graded {graded}, unreadable {unreadable}, error {error}, missing {missing} ({seconds:.0f} s)"),
    "gradeall.wrote": ("작성: {path}", "wrote {path}"),
    "gradeall.col.student": ("학생", "student"),
    "gradeall.col.assignment": ("과제", "assignment"),
    "gradeall.col.score": ("점수", "score"),
    "gradeall.col.status": ("상태", "status"),
    "gradeall.status.graded": ("채점됨", "graded"),
    "gradeall.status.unreadable": ("읽을 수 없음", "unreadable"),
    "gradeall.status.error": ("채점 오류", "error"),
    "gradeall.status.missing": ("미제출", "missing"),
    # --- course release / collect / release-feedback (grader.exchange) ---
    "exchange.unknown_assignment": ("연습 문제 {assignment}이(가) 없습니다: {path}", "no such exercise {assignment}: {path}"),
    "exchange.stale_release": ("{path}이(가) solutions/에서 생성한 것과 다릅니다: 먼저 `make exercises`를 실행하세요",
                               "{path} differs from what solutions/ generates: run `make exercises` first"),
    "exchange.nothing_collected": ("교환 폴더 {exchange}에 {assignment} 제출물이 없습니다",
                                   "no submissions of {assignment} in the exchange {exchange}"),
    "exchange.no_feedback": ("{path}에 내보낼 {assignment} 피드백이 없습니다: 먼저 `course collect {assignment}`를 실행하세요",
                             "no feedback of {assignment} to release in {path}: run `course collect {assignment}` first"),
    "exchange.nbgrader_failed": ("nbgrader {step} 실패: {error}", "nbgrader {step} failed: {error}"),
    "exchange.released": ("{assignment} 배포: {path}", "released {assignment}: {path}"),
    "exchange.feedback_released": ("{assignment} 피드백 배포: {student}", "released feedback on {assignment}: {student}"),
    # --- feedback pages (grader.feedback) ---
    "feedback.title": ("{assignment} 채점 결과: {student}", "Grade for {assignment}: {student}"),
    "feedback.file": ("제출 파일: {path}", "Submitted file: {path}"),
    "feedback.status": ("제출물 상태", "Submission status"),
    "feedback.parts": ("부분별 점수", "Points by part"),
    "feedback.col.part": ("채점 부분", "part"),
    "feedback.col.points": ("점수", "points"),
    "feedback.col.max": ("배점", "max"),
    "feedback.col.status": ("상태", "status"),
    "feedback.no_parts": ("채점한 부분이 없습니다", "no graded parts"),
    "feedback.errors": ("오류와 힌트", "Errors and hints"),
    "feedback.no_errors": ("오류가 없습니다.", "No errors."),
    "feedback.notebook": ("채점한 노트북", "Your notebook as graded"),
    "feedback.notebook_note": ("채점 때 실행한 그대로입니다: 여러분의 답과 보이는 검사의 출력, 각 부분의 점수. 숨은 검사는 보여 주지 않습니다.",
                               "As it ran when graded: your answers, the visible checks' outputs and each part's points. Hidden checks are not shown."),
    "feedback.answer": ("답: {grade_id}", "answer: {grade_id}"),
    "feedback.seconds": ("채점에 {seconds:.1f}초 걸렸습니다", "graded in {seconds:.1f} s"),
    # --- course check ---
    "check.summary": ("노트북 {files}개 검사: 문제 {count}건", "{files} notebooks checked: {count} findings"),
    # --- course check findings: code -> message ---
    "C100": ("노트북을 읽을 수 없습니다: {error}", "unreadable notebook: {error}"),
    "C101": ("코드 셀에 출력이 남아 있습니다 (`course clean`)", "code cell has outputs (`course clean`)"),
    "C102": ("코드 셀에 실행 번호가 남아 있습니다 (`course clean`)", "code cell has an execution count (`course clean`)"),
    "C103": ("셀 id가 없습니다 (`course clean`)", "cell has no id (`course clean`)"),
    "C104": ("셀 id가 중복됩니다: {id}", "duplicate cell id: {id}"),
    "C105": ("허용되지 않은 메타데이터가 있습니다: {keys} (`course clean`)", "metadata not on the allowlist: {keys} (`course clean`)"),
    "B201": ("마크다운 셀에 `ko` 또는 `en` 태그 하나가 있어야 합니다", "markdown cell needs exactly one of the tags `ko`, `en`"),
    "B202": ("짝이 맞지 않는 {lang} 셀입니다. 한국어 셀 바로 뒤에는 그 영어 셀이 와야 합니다", "unpaired {lang} cell (each ko cell is followed by its en twin)"),
    "B203": ("한국어/영어 셀의 제목 구조가 다릅니다: {detail}", "ko/en twins have different headings: {detail}"),
    "B204": ("한국어/영어 셀의 인라인 코드가 다릅니다: {detail}", "ko/en twins have different code spans: {detail}"),
    "B205": ("한국어/영어 셀의 링크가 다릅니다: {detail}", "ko/en twins have different links: {detail}"),
    "B206": ("한국어/영어 셀의 수식이 다릅니다: {detail}", "ko/en twins have different formulas: {detail}"),
    "B207": ("`ko` 셀에 한글이 없습니다", "`ko` cell contains no Hangul"),
    "B208": ("`en` 셀의 본문에 한글이 있습니다: {sample}", "`en` cell prose contains Hangul: {sample}"),
    "B209": ("한국어/영어 셀의 숫자가 다릅니다: {detail}", "ko/en twins have different numbers: {detail}"),
    "B210": ("번역 확인이 기록되지 않은 한국어 셀입니다: 짝을 검토한 뒤 `course confirm`을 실행하세요",
             "Korean cell has no confirmed translation: review the pair, then run `course confirm`"),
    "B211": ("영어 셀이 번역 확인 뒤에 바뀌었습니다: 한국어를 고치고 `course confirm`을 실행하세요",
             "the English twin changed since the Korean was confirmed: update the Korean, then run `course confirm`"),
    "confirm.done": ("{path}: 번역 짝 {count}개 확인", "{path}: {count} translation pairs confirmed"),
    "confirm.refused": ("{path} [{cell}]: 구조가 다른 짝은 확인하지 않습니다 (`course check` 참고)",
                        "{path} [{cell}]: a pair whose structure differs is not confirmed (see `course check`)"),
    "M301": ("노트북 메타데이터가 올바르지 않습니다: {problem}", "invalid notebook metadata: {problem}"),
    "M302": ("등록되지 않은 커널입니다: {kernel} (kernels.toml)", "kernel is not a course kernel: {kernel} (kernels.toml)"),
    "M303": ("`raises-exception` 태그는 쓰지 않습니다: papermill은 그래도 노트북을 실패로 처리하므로, 오류는 try/except로 잡아 출력하세요",
             "no `raises-exception` tags: papermill fails the notebook anyway; catch and print the error"),
    "M304": ("`parameters` 셀은 하나까지입니다", "at most one `parameters` cell"),
    "M306": ("`deprecated-demo` 셀은 경고를 `warnings.catch_warnings`나 try/except로 잡아 보여 줘야 합니다",
             "a `deprecated-demo` cell shows the warning through `warnings.catch_warnings` or try/except"),
    "M307": ("노트북 메타데이터에 course.budget_s(제한 시간)가 없습니다", "metadata.course.budget_s (the time budget) is missing"),
    "M305": ("노트북 이름은 NN_name.ipynb 형식이어야 합니다", "notebook names look like NN_name.ipynb"),
    "M308": ("course.gpu가 코드와 맞지 않습니다: '{gpu}'인데 코드에 GPU(CUDA) 경로가 {found}",
             "course.gpu does not match the code: it says '{gpu}' and the code {found} GPU (CUDA) path"),
    "G402": ("외래어 '{ko}' 뒤에 영어 '({en})'를 붙이지 않습니다: 음역한 말은 영어를 보여 줄 필요가 없습니다",
             "no English gloss after the loanword '{ko}': '({en})' repeats what the transliteration already says"),
    "G403": ("굵게 표시가 렌더링되지 않고 별표가 글자로 남습니다: '{near}'. 닫는 '**' 바로 앞이 문장 부호이고 바로 뒤가 글자(조사 등)이면 닫히지 않으니, '**기울기 누적**(gradient accumulation)은'처럼 쓰세요",
             "emphasis does not render and its asterisks show: '{near}'. A closing '**' right after punctuation and right before a letter does not close; move it before the punctuation"),
    "G401": ("용어집과 다른 번역어 '{used}'을(를) 썼습니다. 용어집에서 '{term}'은(는) '{ko}'입니다", "non-glossary rendering '{used}': the glossary says '{term}' = '{ko}'"),
    "G404": ("영어 문장은 미국식 철자를 씁니다: {used} 대신 {us}",
             "English prose uses US spelling: {us}, not {used}"),
    "G405": ("상태 표시 {used}은(는) 표의 칸에만 씁니다. 문장에서는 '제거되었습니다', '지원이 중단될 예정입니다'처럼 동사로 씁니다",
             "the status label {used} belongs in a table cell; in a sentence, use a verb ('has been removed', 'is deprecated')"),
    "G406": ("배치 크기는 '크기 32인 배치'로 씁니다: {used}은(는) 배치 개수로 읽힙니다. '배치 N개'는 개수에만 씁니다",
             "{used} reads as a number of batches: write a batch size as a size (a batch of size 32) and keep 'N batches' for counts"),
    "G407": ("장 번호는 '03장'처럼 두 자리로 씁니다: {used}. 한 자리 'N장'은 '이미지 5장'처럼 개수에만 씁니다",
             "chapter references have two digits (03, not 3): {used}; a one-digit number before the counter is only a count of images or sheets"),
    "G408": ("숫자와 단위 사이는 띄우지 않습니다: {used} 대신 '90초', '3개'처럼 붙여 씁니다",
             "no space between a number and its Korean unit or counter: {used} is written without the space"),
    "E501": ("채점 부분이 {count}개뿐입니다 (최소 {minimum}개)", "only {count} graded parts (at least {minimum})"),
    "E502": ("답안 셀에 ### BEGIN SOLUTION / ### END SOLUTION 표시가 없습니다", "answer cell lacks ### BEGIN SOLUTION / ### END SOLUTION"),
    "E503": ("테스트 셀에 숨은 테스트(### BEGIN HIDDEN TESTS)가 없습니다", "test cell has no hidden tests (### BEGIN HIDDEN TESTS)"),
    "E504": ("grade_id가 중복됩니다: {grade_id}", "duplicate grade_id: {grade_id}"),
    "E507": ("테스트 셀의 보이는 부분이 `visible_checks_passed()`로 끝나야 합니다", "the visible part of a test cell ends with `visible_checks_passed()`"),
    "E508": ("\"모든 테스트 통과\"라고 말하지 않습니다: 학습자는 보이는 검사만 봅니다", "never say \"all tests passed\": learners see only the visible checks"),
    "E505": ("강의 노트북에는 nbgrader 메타데이터가 없어야 합니다", "lesson notebooks carry no nbgrader metadata"),
    "E506": ("nbgrader 메타데이터가 올바르지 않습니다: {problem}", "invalid nbgrader metadata: {problem}"),
    "X601": ("exercises/의 파일이 solutions/에서 생성한 것과 다릅니다 (`make exercises`)", "exercise differs from what solutions/ generates (`make exercises`)"),
    "X602": ("연습 문제 배포본이 없습니다 (`make exercises`)", "released exercise is missing (`make exercises`)"),
    "X603": ("solutions/에 원본이 없는 연습 문제입니다", "exercise has no source in solutions/"),
    # --- the grading sandbox (grader.sandbox): a layer this machine supports applies, or grading stops ---
    "sandbox.cgroup_create": ("채점 프로세스의 pids cgroup을 만들 수 없어 채점을 멈춥니다 ({path}: {error}). 학습자의 코드는 프로세스 수 제한 없이 실행되지 않습니다 (디버깅할 때만 COURSE_SANDBOX=0)",
                              "cannot create the grading process's pids cgroup ({path}: {error}), so grading stops: a learner's code never runs without its process limit (COURSE_SANDBOX=0 turns the sandbox off, for debugging only)"),
    "sandbox.cgroup_enter": ("채점 프로세스(pid {pid})를 pids cgroup {path}에 넣지 못해 채점을 멈춥니다: {error}",
                             "the grading process (pid {pid}) could not be put into its pids cgroup {path}, so grading stops: {error}"),
    # --- offline guard ---
    "offline.blocked": ("강의 실행 중에는 네트워크에 연결할 수 없습니다: {target} (데이터는 data/에 있거나 코드로 만듭니다)",
                        "network access is blocked while the course runs: {target} (data ships in data/ or is generated)"),
    # --- generic ---
    "error.metadata": ("{path}: 노트북 메타데이터 오류: {problem}", "{path}: notebook metadata error: {problem}"),
    "error.data": ("{path}: 강의 데이터 파일이 올바르지 않습니다: {problem}", "{path}: invalid course data file: {problem}"),
    "error.course": ("오류: {message}", "error: {message}"),
    # --- course lab ---
    "lab.ready": ("작업 폴더 {root} (새 사본 {new}개; 이미 있는 사본은 그대로 둡니다)",
                  "working folder {root} ({new} new copies; copies that exist are kept as they are)"),
    # --- course hub (grader.hub) ---
    "hub.needs_root": ("허브는 root로만 시작합니다: 학생마다 실제 유닉스 계정을 만들어야 서로의 작업과 solutions/를 읽지 못하게 막을 수 있습니다. 관리자 권한으로 `sudo make hub`를 실행하세요 (더 약한 격리로는 시작하지 않습니다)",
                       "the hub starts only as root: each learner needs a real Unix account so that no one can read another's work or solutions/. Run `sudo make hub` as an administrator (it never starts with weaker isolation)"),
    "hub.missing_tools": ("계정을 만들 명령이 없습니다: {tools} (Debian의 passwd 패키지)",
                          "the commands that create accounts are missing: {tools} (Debian's passwd package)"),
    "hub.no_proxy": ("JupyterHub의 프록시가 없습니다: {path}. 먼저 `make setup`을 실행하세요 (npm의 configurable-http-proxy를 설치합니다)",
                     "JupyterHub's proxy is missing: {path}. Run `make setup` first (it installs configurable-http-proxy from npm)"),
    "hub.python_closed": ("다른 계정은 강의 환경의 파이썬 {python}을(를) 실행할 수 없습니다: {folder}에 들어갈 수 없습니다. 그 폴더를 다른 계정도 지나갈 수 있게 하거나(`chmod o+x {folder}`), 모두가 쓸 수 있는 파이썬으로 환경을 다시 만드세요 (`PYTHON=/usr/bin/python3.11 FORCE=1 make setup`)",
                          "other accounts cannot run the course environments' Python {python}: they cannot enter {folder}. Let other accounts pass through it (`chmod o+x {folder}`) or rebuild the environments with a Python everyone can run (`PYTHON=/usr/bin/python3.11 FORCE=1 make setup`)"),
    "hub.bad_name": ("계정 이름 '{name}'을(를) 쓸 수 없습니다: 영어 소문자로 시작하고 소문자, 숫자, _, -만 31자까지 씁니다",
                     "cannot use the account name '{name}': start with a lowercase letter, then up to 30 lowercase letters, digits, _ or -"),
    "hub.bad_lang": ("언어는 ko 또는 en이어야 합니다: {lang}", "the language must be ko or en: {lang}"),
    "hub.bad_role": ("역할은 learner 또는 instructor여야 합니다: {role}", "the role must be learner or instructor: {role}"),
    "hub.bad_password": ("비밀번호가 비어 있거나 줄바꿈이 들어 있습니다", "the password is empty or contains a line break"),
    "hub.bad_accounts": ("계정 파일(accounts.json)을 읽을 수 없습니다: {error}", "cannot read the accounts file (accounts.json): {error}"),
    "hub.name_taken": ("'{name}'은(는) 이 수업의 계정이 아닌, 이 컴퓨터에 이미 있는 계정입니다: 다른 이름을 쓰세요",
                       "'{name}' is an existing account of this machine, not one of this class: choose another name"),
    "hub.unknown_user": ("'{name}'은(는) 이 수업의 계정이 아닙니다", "'{name}' is not an account of this class"),
    "hub.command_failed": ("{command} 실패: {error}", "{command} failed: {error}"),
    "hub.exposed": ("다른 계정이 아직 읽을 수 있어 허브를 시작하지 않습니다: {paths}", "the hub does not start while other accounts can still read: {paths}"),
    "hub.user_added": ("계정 {name} ({role}, {lang}): 작업 폴더 {workspace}", "account {name} ({role}, {lang}): working folder {workspace}"),
    "hub.user_removed": ("계정 {name}과(와) 그 홈 폴더를 지웠습니다", "removed account {name} and its home folder"),
    "hub.password_prompt": ("{name}의 비밀번호", "password for {name}"),
    "hub.starting": ("허브: {scheme}://{host}:{port}/ · 폴더 {root} · 계정 {count}개", "hub: {scheme}://{host}:{port}/ · folder {root} · {count} accounts"),
    "hub.plain_http": ("주의: HTTPS 없이 시작했습니다. 비밀번호가 암호화되지 않은 채 네트워크를 지납니다. 이 컴퓨터 밖에서 접속한다면 --ssl-cert와 --ssl-key(`make hub SSL_CERT=... SSL_KEY=...`)를 주거나 HTTPS 프록시 뒤에 두세요",
                       "note: started without HTTPS, so passwords cross the network unencrypted. If learners connect from other machines, give --ssl-cert and --ssl-key (`make hub SSL_CERT=... SSL_KEY=...`) or put the hub behind an HTTPS proxy"),
    "hub.tls_pair": ("--ssl-cert와 --ssl-key는 함께 주어야 합니다", "--ssl-cert and --ssl-key go together"),
    "hub.bad_tls": ("인증서 {cert}와(과) 키 {key_file}을(를) 쓸 수 없습니다 (둘 다 PEM 형식이고 서로 짝이어야 합니다): {error}",
                    "cannot use the certificate {cert} with the key {key_file} (both PEM, and a matching pair): {error}"),
    # --- course mutations (grader.mutations) ---
    "mutations.col.exercise": ("연습 문제", "exercise"),
    "mutations.col.wrong": ("틀린 답", "wrong answers"),
    "mutations.col.parts": ("채점 부분", "graded parts"),
    "mutations.col.mistakes": ("실수별 개수", "by mistake"),
    "mutations.total": ("합계: 틀린 답 {count}개 · 어느 틀린 답도 쓰지 않은 실수: {unused}",
                        "total: {count} wrong answers · mistakes no wrong answer uses: {unused}"),
    "mutations.none": ("없음", "none"),
    # --- course site ---
    "site.not_executed": ("{path}: 실행된 사본이 없습니다. 먼저 `make course`를 실행하세요",
                          "{path}: no executed copy: run `make course` first"),
    "site.failed": ("{path}: 실행이 실패한 노트북은 웹사이트에 올리지 않습니다. `make course`로 고친 뒤 다시 실행하세요",
                    "{path}: this notebook failed when it ran, so it does not go on the website: fix it and run `make course`"),
    "site.stale": ("{path}: 실행된 사본의 코드가 원본과 다릅니다. `make course`로 다시 실행하세요",
                   "{path}: the executed copy ran different code than the source: run `make course` again"),
    "site.sphinx_failed": ("웹사이트({lang})를 만들지 못했습니다 (Sphinx):\n{output}",
                           "building the {lang} website failed (Sphinx):\n{output}"),
    "site.built": ("웹사이트: {out}/index.html · 페이지 {pages}개, {size_mb:.1f} MB, {seconds:.0f}초",
                   "website: {out}/index.html · {pages} pages, {size_mb:.1f} MB, {seconds:.0f} s"),
}


class Both(tuple):
    """A field value that differs by language: ``Both(korean, english)``; :func:`format` picks each side."""

    def __new__(cls, ko: object, en: object) -> Both:
        return super().__new__(cls, (ko, en))

    @classmethod
    def split(cls, text: str) -> Both:
        """``"한국어 / English"`` -> ``Both("한국어", "English")``; a text in one language stays itself twice."""
        ko, sep, en = text.partition(" / ")
        return cls(ko.strip(), en.strip()) if sep and ko.strip() and en.strip() else cls(text, text)


def _side(fields: dict[str, object], side: int) -> dict[str, object]:
    return {k: v[side] if type(v) is Both else v for k, v in fields.items()}


def format(key: str, /, **fields: object) -> str:  # noqa: A001 - mirrors str.format on purpose
    """Return the message `key` in Korean, a newline, then English.

    A field given as :class:`Both` fills the Korean line with its first side and the English with its second.

    Examples:
        >>> print(format("run.timeout", budget_s=90))
        제한 시간 90초를 넘어 중단했습니다
        stopped after exceeding its time budget of 90 s
    """
    ko, en = MESSAGES[key]
    return f"{ko.format(**_side(fields, 0))}\n{en.format(**_side(fields, 1))}"


def sides(key: str, /, **fields: object) -> Both:
    """Return the message `key` as ``Both(korean, english)``, to fill another message's field."""
    ko, en = MESSAGES[key]
    return Both(ko.format(**_side(fields, 0)), en.format(**_side(fields, 1)))


def one_line(key: str, /, **fields: object) -> str:
    """Return the message `key` as ``Korean / English`` on one line (tables, progress lines)."""
    ko, en = MESSAGES[key]
    return f"{ko.format(**_side(fields, 0))} / {en.format(**_side(fields, 1))}"
