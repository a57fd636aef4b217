import { BAD_GATEWAY_HTML, errcodeReply, startFakeHttp, type FakeHttp, type FakeOutcome, type FakeReply, type FakeRequest } from './fake-http';

/**
 * Answers every robot fake can be scripted with: 'ok' is the robot's real behaviour, an
 * { errcode, errmsg } goes out as the robots send it (HTTP 200), a FakeReply verbatim.
 */
export type RobotAnswer = 'ok' | 'badGatewayHtml' | 'hang' | 'closeSocket' | { errcode: number; errmsg: string } | FakeReply;

export interface ScriptedRobot<Answer> extends FakeHttp {
  /** The next answers, in order; after them the robot behaves for real again. */
  script(...answers: Answer[]): void;
}

/**
 * A fake group robot webhook (WeCom, DingTalk) that gives the scripted answers first and then the
 * robot's real behaviour. `named` builds the robot's own canned answers; they are built per answer
 * because an errmsg may carry a fresh id each time, as WeCom's hint does.
 */
export async function startScriptedRobot<Named extends string>(
  named: Record<Named, () => FakeReply>,
  answerLikeRobot: (request: FakeRequest) => FakeReply,
): Promise<ScriptedRobot<Named | RobotAnswer>> {
  const queue: Array<Named | RobotAnswer> = [];
  const server = await startFakeHttp((request): FakeOutcome => {
    const answer = queue.shift() ?? 'ok';
    if (answer === 'hang') return 'hang';
    if (answer === 'closeSocket') return 'closeSocket';
    if (answer === 'ok') return answerLikeRobot(request);
    if (answer === 'badGatewayHtml') return BAD_GATEWAY_HTML;
    if (typeof answer === 'object') return 'errcode' in answer ? errcodeReply(answer.errcode, answer.errmsg) : answer;
    return named[answer]();
  });
  return { ...server, script: (...answers) => void queue.push(...answers) };
}
