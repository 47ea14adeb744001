"""Starting and filling an edition project: ``edition new`` (:mod:`.new`,
from the project template kept as data in ``template/``) and ``edition add``
(:mod:`.add`). Both leave a project that builds: they end by generating its
chapters, which runs every check of the inputs."""
