import ChanxiaoCLI

await ChanxiaoCommand.runAsRoot()
